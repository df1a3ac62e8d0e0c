/**
One-line block sparklines for compact layouts. One cell per value, always, so columns line up; a gap (missing value)
is a space. A series with no negative value is scaled from 0, so zero sits on the baseline and noise on a steady value
stays a flat bar instead of being blown up to the full height.
*/

const blockTicks = '▁▂▃▄▅▆▇█';
/** For terminals without Unicode block glyphs (`--ascii`). */
const asciiTicks = '_.-~=+*#';

export type SparklineOptions = {
	/** Fixed bottom of the scale (e.g. 0 for a percentage); defaults to 0, or the smallest value when one is negative. */
	readonly min?: number;
	/** Fixed top of the scale; defaults to the largest value. */
	readonly max?: number;
	/** Keep only the newest `width` values. */
	readonly width?: number;
	/** Use ASCII ticks instead of block glyphs. */
	readonly ascii?: boolean;
};

function isPresent(value: number | null | undefined): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

export function sparkline(
	values: ReadonlyArray<number | null | undefined>,
	options: SparklineOptions = {},
): string {
	const ticks = options.ascii ? asciiTicks : blockTicks;
	const visible =
		options.width === undefined
			? values
			: values.slice(Math.max(0, values.length - Math.max(0, options.width)));
	const {min: low, max: high} = seriesStats(visible);
	const min = options.min ?? Math.min(0, low ?? 0);
	const max = options.max ?? high ?? 0;
	let line = '';
	for (const value of visible) {
		if (!isPresent(value)) {
			line += ' ';
			continue;
		}

		// A flat series on an empty scale: on the baseline at or below the bottom, at the top above it.
		if (max <= min) {
			line += value > min ? ticks.at(-1)! : ticks[0];
			continue;
		}

		// Halves keep max - min finite near ±Number.MAX_VALUE; a subnormal range can still give 0/0.
		const raw = (value / 2 - min / 2) / (max / 2 - min / 2);
		const position = Number.isNaN(raw) ? 0 : Math.min(1, Math.max(0, raw));
		line += ticks[Math.round(position * (ticks.length - 1))];
	}

	return line;
}

export type SeriesStats = {
	readonly min: number | null;
	readonly max: number | null;
	/** The newest present value. */
	readonly last: number | null;
};

/** Min, max and newest value over the present (finite) points; nulls when there are none. */
export function seriesStats(
	values: ReadonlyArray<number | null | undefined>,
): SeriesStats {
	let min: number | null = null;
	let max: number | null = null;
	let last: number | null = null;
	for (const value of values) {
		if (!isPresent(value)) {
			continue;
		}

		min = min === null ? value : Math.min(min, value);
		max = max === null ? value : Math.max(max, value);
		last = value;
	}

	return {min, max, last};
}
