import {type LatencyRowSpec, type SignalDef} from '../catalog/signal-def.js';
import {
	quantilesOf,
	specDecodeRunning,
	specDecodeText,
} from '../catalog/signal-types.js';
import {signalCatalog} from '../catalog/signals.js';
import type {Quantiles, Signals} from '../derive/snapshot.js';
import {formatQuantile} from '../format/quantile-text.js';
import {formatDuration, formatSeconds} from '../format/units.js';
import {Table, type Column} from './table.js';

export type LatencyTableProps = {
	/** Null before the first good scrape: every cell reads `--`. */
	readonly signals: Signals | null;
	/** V0 calls inter-token latency "time per output token". */
	readonly generation: 'v0' | 'v1' | null;
	readonly width: number;
	readonly maxRows: number;
	/** The window the quantiles were computed over, named in the header; unnamed when unknown. */
	readonly windowSeconds?: number | null;
	/**
	Add prefill and decode rows and a mean column (the latency view).

	@default false
	*/
	readonly isDetailed?: boolean;
};

/** The catalog's latency signals, in catalog order. */
const latencySignals = signalCatalog.flatMap(signal =>
	'latencyRow' in signal ? [rowOf(signal, signal.latencyRow)] : [],
);

function rowOf(signal: SignalDef, row: LatencyRowSpec) {
	return {key: signal.key, signal, row};
}

/**
The rows shown, named for the server: V0 calls ITL TPOT; with spec decode ITL is per engine step and the per-request
TPOT row joins it (in the latency view it is always there).
*/
function shownRows(
	signals: Signals | null,
	generation: 'v0' | 'v1' | null,
	isDetailed: boolean,
): Array<{key: string; name: string}> {
	const specDecode = signals !== null && specDecodeRunning(signals);
	return latencySignals.flatMap(({key, signal, row}) => {
		if (!isDetailed && row.detailedOnly === true) {
			return [];
		}

		const base = generation === 'v0' ? (row.v0Name ?? row.name) : row.name;
		const name =
			isDetailed && !specDecode
				? base
				: specDecodeText(signal, base, specDecode);
		return name === null ? [] : [{key, name}];
	});
}

/** How many rows the table has for these signals, without its header. */
export function latencyRowCount(
	signals: Signals | null,
	isDetailed: boolean,
): number {
	return shownRows(signals, null, isDetailed).length;
}

type LatencyRow = {
	readonly name: string;
	readonly quantiles: Quantiles | null;
};

const quantileColumn = (
	key: 'p50' | 'p90' | 'p95' | 'p99' | 'mean',
): Column<LatencyRow> => ({
	key,
	header: key,
	width: 7,
	align: 'right',
	render: row =>
		key === 'mean'
			? formatSeconds(row.quantiles?.mean)
			: formatQuantile(row.quantiles, key),
});

/** Latency quantiles over the current window, one row per latency signal (prefill and decode only in detail). */
export function LatencyTable({
	signals,
	generation,
	width,
	maxRows,
	windowSeconds,
	isDetailed = false,
}: LatencyTableProps) {
	const rows: LatencyRow[] = shownRows(signals, generation, isDetailed).map(
		({key, name}) => ({
			name,
			quantiles: signals === null ? null : quantilesOf(signals, key),
		}),
	);

	// The window of the numbers shown: after `w` it changes with the next scrape, as the numbers do.
	const header =
		windowSeconds === null || windowSeconds === undefined
			? 'Latency'
			: `Latency ${formatDuration(windowSeconds * 1000)}`;
	const columns: Array<Column<LatencyRow>> = [
		{
			key: 'name',
			header,
			width: Math.max(8, header.length),
			render: row => row.name,
		},
		quantileColumn('p50'),
		quantileColumn('p90'),
		quantileColumn('p95'),
		quantileColumn('p99'),
	];
	if (isDetailed) {
		columns.push(quantileColumn('mean'));
	}

	return (
		<Table columns={columns} rows={rows} width={width} maxRows={maxRows} />
	);
}
