import {stripVTControlCharacters} from 'node:util';
import asciichart from 'asciichart';
import chalk from 'chalk';
import {Box, Text} from 'ink';
import {seriesStats} from '../format/sparkline.js';
import {cellWidth} from '../format/cell-width.js';
import {useDisplay} from './display-context.js';
import {fitText, padText} from './fit-text.js';
import {styledRow, type Segment} from './styled-row.js';
import {timeAxis} from './time-axis.js';
import {chartColors, type Tone} from './theme.js';

export type ChartSeries = {
	readonly label: string;
	/** Oldest first; null where a scrape failed or the value was missing. */
	readonly values: ReadonlyArray<number | null>;
	readonly tone: Tone;
};

export type ChartProps = {
	readonly title: string;
	/** One or more series sharing the scale; all as long as each other (one point per scrape). */
	readonly series: readonly ChartSeries[];
	readonly format: (value: number | null) => string;
	readonly width: number;
	/** Rows including the title row; the plot gets the rest. */
	readonly rows: number;
	/** Fixed scale bottom, e.g. 0. */
	readonly min?: number;
	/** Fixed scale top, e.g. 1 for a fraction. */
	readonly max?: number;
	/** A threshold drawn as a dim horizontal line, e.g. 0.9 for KV-cache usage. */
	readonly markAt?: number;
	/** Time between two points (the scrape interval): with room, a last row labels the x axis (`-5m … now`). */
	readonly stepMs?: number;
};

const asciiSymbols: [
	string,
	string,
	string,
	string,
	string,
	string,
	string,
	string,
	string,
	string,
] = ['+', '|', '-', '-', '-', "'", '.', '.', "'", '|'];

const labelWidth = 7;

/**
asciichart throws on NaN, null and empty input. Drop the points before the first value of every series, carry the
last value forward over gaps after that, and keep the newest `points`.
*/
export function sanitizeSeries(
	series: ReadonlyArray<ReadonlyArray<number | null>>,
	points: number,
): number[][] {
	const length = Math.max(0, ...series.map(values => values.length));
	const isPresent = (value: number | null | undefined): value is number =>
		typeof value === 'number' && Number.isFinite(value);
	let start = 0;
	for (const values of series) {
		const first = values.findIndex(value => isPresent(value));
		start = Math.max(start, first === -1 ? length : first);
	}

	start = Math.max(start, length - Math.max(0, points));
	return series.map(values => {
		let carried: number | null = null;
		for (let index = start; index >= 0 && carried === null; index--) {
			const value = values[index];
			carried = isPresent(value) ? value : null;
		}

		const result: number[] = [];
		for (let index = start; index < length; index++) {
			const value = values[index];
			carried = isPresent(value) ? value : carried;
			result.push(carried ?? 0);
		}

		return result;
	});
}

/** The title row: each series' current value, its range where there is room, and the threshold line's value. */
function titleOf(
	title: string,
	series: readonly ChartSeries[],
	format: (value: number | null) => string,
	width: number,
	markAt: number | undefined,
	ascii: boolean,
): Segment[] {
	const titleSegments: Segment[] = [{text: title, bold: true}];
	for (const item of series) {
		const stats = seriesStats(item.values);
		titleSegments.push(
			{text: '  '},
			{text: series.length > 1 ? `${item.label} ` : '', tone: 'dim'},
			{text: format(stats.last), tone: item.tone, bold: true},
			// The range only where there is room for every series' current value first.
			{
				text: width >= 50 ? ` (${format(stats.min)}-${format(stats.max)})` : '',
				tone: 'dim',
			},
		);
	}

	if (markAt !== undefined) {
		titleSegments.push({
			text: `  ${ascii ? '--' : '──'} ${format(markAt)}`,
			tone: 'dim',
		});
	}

	return titleSegments;
}

/** A line chart (asciichart) with a title row carrying the current, min and max of each series. */
export function Chart({
	title,
	series,
	format,
	width,
	rows,
	min,
	max,
	markAt,
	stepMs,
}: ChartProps) {
	const {ascii} = useDisplay();
	if (rows <= 0 || width <= 0) {
		return null;
	}

	const titleSegments = titleOf(title, series, format, width, markAt, ascii);
	const plotRows = rows - 1;
	const points = width - labelWidth - 2;
	const data = sanitizeSeries(
		series.map(item => item.values),
		points,
	);
	const hasData = (data[0]?.length ?? 0) >= 2;
	const lines: string[] = [];
	// Three plot rows at least, so the axis never takes the plot's only rows.
	const axis =
		stepMs !== undefined && plotRows >= 3 && hasData
			? timeAxis(data[0]!.length, stepMs, labelWidth, width)
			: '';
	const plotLines = axis === '' ? plotRows : plotRows - 1;
	if (plotRows > 0 && hasData) {
		const plotted =
			markAt === undefined ? data : [...data, data[0]!.map(() => markAt)];
		const colored = chalk.level > 0;
		const tones: Tone[] = [...series.map(item => item.tone), 'dim'];
		const plot = asciichart.plot(plotted, {
			height: Math.max(1, plotLines - 1),
			offset: 2,
			min,
			max,
			format: (value: number) =>
				padText(format(value), labelWidth - 1, 'right'),
			colors: colored ? tones.map(tone => chartColors[tone]) : undefined,
			symbols: ascii ? asciiSymbols : undefined,
		});
		for (const line of plot.split('\n').slice(0, plotLines)) {
			// The axis labels and the data are sized to fit; cut defensively (a stray wide label must not wrap).
			lines.push(
				cellWidth(line) > width
					? fitText(stripVTControlCharacters(line), width, ascii)
					: line,
			);
		}

		if (axis !== '') {
			lines.push(chalk.level > 0 ? chalk.dim(axis) : axis);
		}
	} else if (plotRows > 0) {
		lines.push(padText('', labelWidth) + 'waiting for data');
	}

	// One text node for the title and the plot, as `Lines` draws rows: each is cut to the width already.
	return (
		<Box width={width}>
			<Text wrap="truncate-end">
				{[styledRow(titleSegments, width, ascii), ...lines].join('\n')}
			</Text>
		</Box>
	);
}
