import type {Quantiles, Signals} from '../derive/snapshot.js';
import {formatQuantile} from '../format/quantile-text.js';
import {formatSeconds} from '../format/units.js';
import {Table, type Column} from './table.js';

export type LatencyTableProps = {
	/** Null before the first good scrape: every cell reads `--`. */
	readonly signals: Signals | null;
	/** V0 calls inter-token latency "time per output token". */
	readonly generation: 'v0' | 'v1' | null;
	readonly width: number;
	readonly maxRows: number;
	/**
	Add prefill and decode rows and a mean column (the latency view).

	@default false
	*/
	readonly isDetailed?: boolean;
};

type LatencyRow = {
	readonly name: string;
	readonly quantiles: Quantiles | null;
};

const quantileColumn = (
	key: 'p50' | 'p95' | 'p99' | 'mean',
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

/** Latency quantiles over the current window: TTFT, ITL/TPOT, E2E, queue (and prefill, decode in detail). */
export function LatencyTable({
	signals,
	generation,
	width,
	maxRows,
	isDetailed = false,
}: LatencyTableProps) {
	const rows: LatencyRow[] = [
		{name: 'TTFT', quantiles: signals?.ttft_seconds ?? null},
		{
			name: generation === 'v0' ? 'TPOT' : 'ITL',
			quantiles: signals?.itl_seconds ?? null,
		},
		{name: 'E2E', quantiles: signals?.e2e_seconds ?? null},
		{name: 'Queue', quantiles: signals?.queue_seconds ?? null},
	];
	if (isDetailed) {
		rows.push(
			{name: 'Prefill', quantiles: signals?.prefill_seconds ?? null},
			{name: 'Decode', quantiles: signals?.decode_seconds ?? null},
		);
	}

	const columns: Array<Column<LatencyRow>> = [
		{key: 'name', header: 'Latency', width: 8, render: row => row.name},
		quantileColumn('p50'),
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
