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
	/** Colour of the glyphs and current value. */
	readonly tone?: Tone;
	/**
	Show min and max after the current value; dropped anyway when the row is narrow.

	@default true
	*/
	readonly hasRange?: boolean;
};

const valueWidth = 7;

/** `label ▁▂▃▅▇ current  min x  max y` as the segments of one row: the compact stand-in for a chart. */
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
		tone,
		hasRange = true,
	} = spec;
	const stats = seriesStats(values);
	const withRange = hasRange && width >= 50;
	const rangeText = withRange
		? ` min ${padText(format(stats.min), valueWidth, 'right')} max ${padText(format(stats.max), valueWidth, 'right')}`
		: '';
	const label_ = padText(
		label,
		Math.min(labelWidth, Math.max(0, width - valueWidth - 2)),
		'left',
		ascii,
	);
	const glyphWidth = Math.max(
		0,
		width - label_.length - 1 - valueWidth - 1 - rangeText.length,
	);
	const glyphs = padText(
		sparkline(values, {min, max, width: glyphWidth, ascii}),
		glyphWidth,
	);
	return [
		{text: `${label_} `},
		{text: glyphs, tone},
		{
			text: ` ${padText(format(stats.last), valueWidth, 'right')}`,
			tone,
			bold: true,
		},
		{text: rangeText, tone: 'dim'},
	];
}
