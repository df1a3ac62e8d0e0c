import type {History, SeriesId} from '../store/target-view.js';
import {seriesLabel, seriesSpecs} from './series.js';
import {seriesTone} from './series-severity.js';
import {useThresholds} from './thresholds-context.js';
import {useDisplay} from './display-context.js';
import {Lines} from './lines.js';
import {sparklineSegments} from './sparkline-segments.js';

export type SparkRowsProps = {
	/** Null before the first scrape: rows show `--`. */
	readonly history: History | null;
	/** Most important first: only the first `rows` are drawn. */
	readonly ids: readonly SeriesId[];
	readonly width: number;
	readonly rows: number;
	/** V0 names some series differently (time per output token for ITL). */
	readonly generation: 'v0' | 'v1' | null;
	/** With speculative decoding ITL times engine steps: its row says so. */
	readonly isSpecDecode?: boolean;
};

/** One sparkline row per series, in the given order, cut to the rows there are. */
export function SparkRows({
	history,
	ids,
	width,
	rows,
	generation,
	isSpecDecode = false,
}: SparkRowsProps) {
	const {ascii} = useDisplay();
	const thresholds = useThresholds();
	if (rows <= 0) {
		return null;
	}

	const lines = ids.slice(0, rows).map(id => {
		const spec = seriesSpecs[id];
		const label = seriesLabel(id, generation, isSpecDecode);
		return sparklineSegments(
			{
				label,
				values: history?.[id] ?? [],
				format: spec.format,
				width,
				labelWidth: width >= 60 ? 13 : 10,
				min: spec.min,
				max: spec.max,
				toneOf: value => seriesTone(id, value, thresholds),
			},
			ascii,
		);
	});
	return <Lines rows={lines} width={width} />;
}
