import {seriesStats, sparkline} from '../format/sparkline.js';
import {padText} from './fit-text.js';
import type {Segment} from './line.js';
import type {Tone} from './theme.js';

/** One series for a sparkline row. */
export type SparklineSpec = {
	readonly label: string;
	/** Oldest first; null where a scrape failed or the value was missing. */
	readonly values: ReadonlyArray<number | null>;
	readonly format: (value: number | null) => string;
	readonly width: number;
	/**
	Cells for the label column, so rows line up.

	@default 14
	*/
	readonly labelWidth?: number;
	/** Fixed scale bottom (e.g. 0 for a percentage). */
	readonly min?: number;
	/** Fixed scale top (e.g. 1 for a fraction). */
	readonly max?: number;
	/** Colour of a glyph and of the current value, from the value (its severity); none draws neutral. */
	readonly toneOf?: (value: number) => Tone | undefined;
	/**
	Show min and max after the current value; dropped anyway when the row is narrow.

	@default true
	*/
	readonly hasRange?: boolean;
};

const valueWidth = 7;

/** One segment per run of glyphs of the same tone, so each glyph shows its own value's severity. */
function glyphSegments(
	glyphs: string,
	values: ReadonlyArray<number | null>,
	toneOf: ((value: number) => Tone | undefined) | undefined,
): Segment[] {
	const cells = [...glyphs];
	// Glyphs stand for the newest values, left-aligned; padding after them has no value.
	const visible = values.slice(Math.max(0, values.length - cells.length));
	const segments: Segment[] = [];
	for (const [index, cell] of cells.entries()) {
		const value = visible[index];
		const tone =
			toneOf && typeof value === 'number' ? toneOf(value) : undefined;
		const last = segments.at(-1);
		if (last && last.tone === tone) {
			segments[segments.length - 1] = {...last, text: last.text + cell};
		} else {
			segments.push({text: cell, tone});
		}
	}

	return segments;
}

/**
`label ▁▂▃▅▇  now 22 · 11–30` as the segments of one row: the compact stand-in for a chart. The range reads as a range,
not as units (`22 min` would read as 22 minutes).
*/
export function sparklineSegments(
	spec: SparklineSpec,
	ascii: boolean,
): Segment[] {
	const {
		label,
		values,
		format,
		width,
		labelWidth = 14,
		min,
		max,
		toneOf,
		hasRange = true,
	} = spec;
	const stats = seriesStats(values);
	const withRange = hasRange && width >= 50;
	const range = `${format(stats.min)}${ascii ? '-' : '–'}${format(stats.max)}`;
	const rangeText = withRange
		? `${ascii ? ' | ' : ' · '}${padText(range, valueWidth * 2 + 1, 'left', ascii)}`
		: '';
	const label_ = padText(
		label,
		Math.min(labelWidth, Math.max(0, width - valueWidth - 6)),
		'left',
		ascii,
	);
	const glyphWidth = Math.max(
		0,
		width - label_.length - 1 - 4 - valueWidth - 1 - rangeText.length,
	);
	const glyphs = padText(
		sparkline(values, {min, max, width: glyphWidth, ascii}),
		glyphWidth,
	);
	const lastTone =
		toneOf && stats.last !== null ? toneOf(stats.last) : undefined;
	return [
		{text: `${label_} `},
		...glyphSegments(glyphs, values, toneOf),
		{text: ' now', tone: 'dim'},
		{
			text: ` ${padText(format(stats.last), valueWidth, 'right')}`,
			tone: lastTone,
			bold: true,
		},
		{text: rangeText, tone: 'dim'},
	];
}
