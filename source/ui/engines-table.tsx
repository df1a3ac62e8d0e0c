import {Box} from 'ink';
import type {Signals} from '../derive/snapshot.js';
import type {Snapshot} from '../pipeline/snapshot.js';
import {
	formatCount,
	formatNumber,
	formatPercent,
	formatSeconds,
	missing,
} from '../format/units.js';
import {Line} from './line.js';
import {Table, type Column} from './table.js';
import {kvUsageTone, type Tone} from './theme.js';

export type EnginesTableProps = {
	readonly snapshot: Snapshot | null;
	readonly width: number;
	/** Terminal rows for the tables and the LoRA line together. */
	readonly maxRows: number;
};

type SignalsRow = {
	readonly name: string;
	readonly signals: Signals;
};

function kvTone(row: SignalsRow): Tone | undefined {
	return kvUsageTone(row.signals.kv_cache_usage);
}

function signalColumns(
	nameHeader: string,
	width: number,
): Array<Column<SignalsRow>> {
	const columns: Array<Column<SignalsRow>> = [
		{key: 'name', header: nameHeader, render: row => row.name},
		{
			key: 'running',
			header: 'run',
			align: 'right',
			render: row => formatCount(row.signals.requests_running),
		},
		{
			key: 'waiting',
			header: 'wait',
			align: 'right',
			render: row => formatCount(row.signals.requests_waiting),
		},
		{
			key: 'kv',
			header: 'KV',
			align: 'right',
			render: row => formatPercent(row.signals.kv_cache_usage),
			tone: kvTone,
		},
		{
			key: 'prompt',
			header: 'prompt/s',
			align: 'right',
			render: row => formatNumber(row.signals.prompt_tokens_per_s),
		},
		{
			key: 'generation',
			header: 'gen/s',
			align: 'right',
			render: row => formatNumber(row.signals.generation_tokens_per_s),
		},
	];
	if (width >= 80) {
		columns.push(
			{
				key: 'ttft',
				header: 'TTFT p95',
				align: 'right',
				render: row => formatSeconds(row.signals.ttft_seconds?.p95),
			},
			{
				key: 'itl',
				header: 'ITL p95',
				align: 'right',
				render: row => formatSeconds(row.signals.itl_seconds?.p95),
			},
			{
				key: 'preemptions',
				header: 'preempt/s',
				align: 'right',
				render: row => formatNumber(row.signals.preemptions_per_s),
			},
		);
	}

	return columns;
}

function loraText(signals: Signals | null): string {
	const lora = signals?.lora;
	if (!lora) {
		return `LoRA ${missing}`;
	}

	const list = (names: readonly string[]) =>
		names.length === 0 ? 'none' : names.join(', ');
	return `LoRA running ${list(lora.running)} · waiting ${list(lora.waiting)} · max ${formatCount(lora.max)}`;
}

/** Per-engine and per-model breakdowns (data-parallel engines, several served models) and the LoRA adapters in use. */
export function EnginesTable({snapshot, width, maxRows}: EnginesTableProps) {
	if (maxRows <= 0) {
		return null;
	}

	const engines = (snapshot?.per_engine ?? []).map(item => ({
		name: item.engine,
		signals: item.signals,
	}));
	const models = (snapshot?.per_model ?? []).map(item => ({
		name: item.model,
		signals: item.signals,
	}));
	// LoRA first: one line that is easy to miss in a long table.
	const loraRows = 1;
	const tableRows = maxRows - loraRows;
	const engineRows = Math.min(
		engines.length + 1,
		Math.max(0, models.length > 0 ? Math.ceil(tableRows / 2) : tableRows),
	);
	const modelRows = Math.min(models.length + 1, tableRows - engineRows);
	return (
		<Box flexDirection="column">
			<Line
				segments={[{text: loraText(snapshot?.signals ?? null)}]}
				width={width}
			/>
			{engineRows >= 2 ? (
				<Table
					columns={signalColumns('engine', width)}
					rows={engines}
					width={width}
					maxRows={engineRows}
				/>
			) : null}
			{modelRows >= 2 ? (
				<Table
					columns={signalColumns('model', width)}
					rows={models}
					width={width}
					maxRows={modelRows}
				/>
			) : null}
		</Box>
	);
}
