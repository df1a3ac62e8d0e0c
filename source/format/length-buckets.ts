/**
A length histogram as bars: the page's cumulative buckets (`le` -> count, `+Inf` included) turned into the count of
each bucket on its own, in bound order, so a one-line chart shows where request lengths fall.
*/
import type {Breakdown} from '../catalog/signal-values.js';

export type LengthBucket = {
	/** The bucket's upper bound in tokens; Infinity for `+Inf`. */
	readonly upper: number;
	readonly count: number;
};

/** Per-bucket counts from cumulative ones; empty when the breakdown is missing or has no bucket. */
export function lengthBuckets(
	cumulative: Breakdown | null | undefined,
): LengthBucket[] {
	if (!cumulative) {
		return [];
	}

	const sorted = Object.entries(cumulative)
		.map(([le, count]) => ({
			upper: le === '+Inf' ? Infinity : Number(le),
			count,
		}))
		.filter(bucket => !Number.isNaN(bucket.upper))
		.toSorted((a, b) => a.upper - b.upper);
	let below = 0;
	return sorted.map(({upper, count}) => {
		// Cumulative counts never fall; a fall is a counter reset between scrapes, read as nothing.
		const own = Math.max(0, count - below);
		below = Math.max(below, count);
		return {upper, count: own};
	});
}

/**
The buckets worth drawing: from the first to the last one with anything in it, so a 32k-token bucket list does not
push the shape off a narrow screen. Empty when nothing was counted.
*/
export function occupiedBuckets(
	buckets: readonly LengthBucket[],
): LengthBucket[] {
	const first = buckets.findIndex(bucket => bucket.count > 0);
	if (first === -1) {
		return [];
	}

	const last = buckets.findLastIndex(bucket => bucket.count > 0);
	return buckets.slice(first, last + 1);
}
