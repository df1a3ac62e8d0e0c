/**
A port of Prometheus' classic-histogram `bucketQuantile` (promql/quantile.go), so the numbers on screen match what
`histogram_quantile()` over the same bucket increases would give in Grafana.
*/

export type Bucket = {
	/** The `le` bound; `Infinity` for the `+Inf` bucket. */
	readonly upperBound: number;
	/** Cumulative count of observations `<= upperBound`. */
	readonly count: number;
};

/** Relative tolerance Prometheus uses to absorb float noise between neighbouring buckets. */
const precisionTolerance = 1e-12;

/**
Prometheus semantics, step for step: NaN q gives NaN, q < 0 gives -Inf, q > 1 gives +Inf; the buckets are sorted,
equal bounds are merged, float noise and decreasing counts are flattened into a monotonic envelope; without a `+Inf`
bucket, with fewer than 2 buckets or with no observations the answer is NaN. The rank `q * count(+Inf)` is located
with a binary search; a rank in the `+Inf` bucket answers the highest finite bound; the lowest bucket interpolates
from 0 when its bound is positive and answers its bound otherwise.
*/
export function bucketQuantile(q: number, buckets: readonly Bucket[]): number {
	if (Number.isNaN(q)) {
		return Number.NaN;
	}

	if (q < 0) {
		return Number.NEGATIVE_INFINITY;
	}

	if (q > 1) {
		return Number.POSITIVE_INFINITY;
	}

	return quantileOfEnvelope(q, bucketEnvelope(buckets));
}

/**
The sorted, merged, monotonic buckets every quantile of one histogram reads; undefined where any quantile is NaN
(no buckets, no `+Inf` bucket, fewer than 2 buckets, no observations). Built once for p50, p95 and p99 alike.
*/
function bucketEnvelope(
	buckets: readonly Bucket[],
): readonly MutableBucket[] | undefined {
	if (buckets.length === 0) {
		return undefined;
	}

	// Pages list a histogram's buckets in order, so sorting is the exception (several engines, or a shuffled page).
	const sorted = isSorted(buckets)
		? buckets
		: buckets.toSorted((a, b) => a.upperBound - b.upperBound);
	if (sorted.at(-1)!.upperBound !== Number.POSITIVE_INFINITY) {
		return undefined;
	}

	const merged = coalesce(sorted);
	correctPrecisionErrors(merged);
	ensureMonotonic(merged);
	if (merged.length < 2 || merged.at(-1)!.count === 0) {
		return undefined;
	}

	return merged;
}

/** `q` within 0..1, located in an envelope from `bucketEnvelope`. */
function quantileOfEnvelope(
	q: number,
	merged: readonly MutableBucket[] | undefined,
): number {
	if (merged === undefined) {
		return Number.NaN;
	}

	const observations = merged.at(-1)!.count;
	let rank = q * observations;
	const index = searchFirstAtLeast(merged, rank);
	if (index === merged.length - 1) {
		return merged.at(-2)!.upperBound;
	}

	const bucket = merged[index]!;
	if (index === 0 && bucket.upperBound <= 0) {
		return bucket.upperBound;
	}

	let bucketStart = 0;
	let {count} = bucket;
	if (index > 0) {
		const previous = merged[index - 1]!;
		bucketStart = previous.upperBound;
		count -= previous.count;
		rank -= previous.count;
	}

	return bucketStart + (bucket.upperBound - bucketStart) * (rank / count);
}

type MutableBucket = {upperBound: number; count: number};

function isSorted(buckets: readonly Bucket[]): boolean {
	for (let index = 1; index < buckets.length; index++) {
		if (!(buckets[index - 1]!.upperBound <= buckets[index]!.upperBound)) {
			return false;
		}
	}

	return true;
}

/** Buckets with the same bound (e.g. `1` and `1.0` from two engines) are one bucket; the result is a fresh copy. */
function coalesce(sorted: readonly Bucket[]): MutableBucket[] {
	const result: MutableBucket[] = [];
	let last: MutableBucket | undefined;
	for (const bucket of sorted) {
		if (last?.upperBound === bucket.upperBound) {
			last.count += bucket.count;
		} else {
			last = {upperBound: bucket.upperBound, count: bucket.count};
			result.push(last);
		}
	}

	return result;
}

function correctPrecisionErrors(buckets: MutableBucket[]): void {
	let previous = buckets[0]!.count;
	for (let index = 1; index < buckets.length; index++) {
		const bucket = buckets[index]!;
		const delta = Math.abs(bucket.count - previous);
		if (delta === 0) {
			continue;
		}

		if (delta / bucket.count <= precisionTolerance) {
			bucket.count = previous;
		} else {
			previous = bucket.count;
		}
	}
}

/** The envelope: a bucket never holds fewer observations than a lower one (counts reset at different moments). */
function ensureMonotonic(buckets: MutableBucket[]): void {
	let max = buckets[0]!.count;
	for (let index = 1; index < buckets.length; index++) {
		const bucket = buckets[index]!;
		if (bucket.count > max) {
			max = bucket.count;
		} else if (bucket.count < max) {
			bucket.count = max;
		}
	}
}

/** Go's `sort.Search(len-1, count >= rank)`: the `+Inf` bucket is only reached when no finite bucket qualifies. */
function searchFirstAtLeast(
	buckets: readonly MutableBucket[],
	rank: number,
): number {
	let low = 0;
	let high = buckets.length - 1;
	while (low < high) {
		const middle = Math.floor((low + high) / 2);
		if (buckets[middle]!.count >= rank) {
			high = middle;
		} else {
			low = middle + 1;
		}
	}

	return low;
}

/** Our API: the quantile, or null where Prometheus says NaN (nothing observed, no `+Inf` bucket, too few buckets). */
export function histogramQuantile(
	q: number,
	buckets: readonly Bucket[],
): number | null {
	const value = bucketQuantile(q, buckets);
	return Number.isNaN(value) ? null : value;
}

/**
Where a quantile landed when the buckets cannot place it: in the first bucket (the answer is a guess between 0 and
its bound, so the truth is only known to be below the bound) or in `+Inf` (the answer is the highest finite bound,
the truth above it).
*/
export type QuantileBound = {
	readonly side: 'below' | 'above';
	/** The bucket bound the quantile is known to be below or above. */
	readonly bound: number;
};

/** Per quantile, its bound when it fell in the first finite bucket or past the last one, else null. */
export function histogramQuantileBounds(
	qs: readonly number[],
	buckets: readonly Bucket[],
): Array<QuantileBound | null> {
	const envelope = bucketEnvelope(buckets);
	return qs.map(q => {
		if (envelope === undefined || !(q >= 0 && q <= 1)) {
			return null;
		}

		const index = searchFirstAtLeast(envelope, q * envelope.at(-1)!.count);
		if (index === envelope.length - 1) {
			return {side: 'above', bound: envelope.at(-2)!.upperBound};
		}

		const first = envelope[0]!.upperBound;
		return index === 0 && first > 0 ? {side: 'below', bound: first} : null;
	});
}

/** Several quantiles of one histogram, as `histogramQuantile` would give each, sorting and merging the buckets once. */
export function histogramQuantiles(
	qs: readonly number[],
	buckets: readonly Bucket[],
): Array<number | null> {
	const envelope = bucketEnvelope(buckets);
	return qs.map(q => {
		const value =
			Number.isNaN(q) || q < 0 || q > 1
				? bucketQuantile(q, buckets)
				: quantileOfEnvelope(q, envelope);
		return Number.isNaN(value) ? null : value;
	});
}
