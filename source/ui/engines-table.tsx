import {Box} from 'ink';
import type {Signals} from '../derive/snapshot.js';
import type {Snapshot} from '../pipeline/snapshot.js';
import type {ColumnSpec, SignalDef} from '../catalog/signal-def.js';
import {
	inTopicOrder,
	signalNumber,
	specDecodeRunning,
	specDecodeText,
} from '../catalog/signal-types.js';
import {signalCatalog} from '../catalog/signals.js';
import {batchFill} from '../derive/batch-fill.js';
import {
	formatCount,
	formatNumber,
	formatPercent,
	missing,
} from '../format/units.js';
import {Line} from './line.js';
import {Table, type Column} from './table.js';
import {kvUsageTone} from './theme.js';

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

/** The table's columns after the name: the catalog's signals that have one, topic by topic. */
const signalColumnSpecs = inTopicOrder(signalCatalog).flatMap(signal =>
	'column' in signal ? [columnOf(signal, signal.column)] : [],
);

function columnOf(signal: SignalDef, column: ColumnSpec) {
	return {signal, column};
}

/** Each row's median tokens per step as a share of `--max-num-batched-tokens`, only where that is known. */
function fillColumns(budget: number | null): Array<Column<SignalsRow>> {
	return budget === null
		? []
		: [
				{
					key: 'batch_fill',
					header: 'step fill',
					align: 'right',
					render: row =>
						formatPercent(batchFill(row.signals.batch_tokens, budget)?.p50),
				},
			];
}

/** How the table names its columns for this server: with spec decode, ITL is per engine step. */
type Naming = {
	readonly width: number;
	readonly budget: number | null;
	readonly specDecode: boolean;
};

function signalColumns(
	nameHeader: string,
	{width, budget, specDecode}: Naming,
): Array<Column<SignalsRow>> {
	const value = (row: SignalsRow, key: string, column: ColumnSpec) =>
		signalNumber(row.signals, key, column.stat);
	return [
		{key: 'name', header: nameHeader, render: row => row.name},
		...signalColumnSpecs
			.filter(({column}) => column.wide !== true || width >= 80)
			.flatMap(({signal, column}): Array<Column<SignalsRow>> => {
				const header = specDecodeText(signal, column.header, specDecode);
				return header === null
					? []
					: [
							{
								key: signal.key,
								header,
								align: 'right',
								render: row =>
									(signal.format ?? formatNumber)(
										value(row, signal.key, column),
									),
								tone:
									column.usageTone === true
										? row => kvUsageTone(value(row, signal.key, column))
										: undefined,
							},
						];
			}),
		...fillColumns(budget),
	];
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
	const signals = snapshot?.signals ?? null;
	const naming: Naming = {
		width,
		budget: snapshot?.batch_fill?.max_num_batched_tokens ?? null,
		specDecode: signals !== null && specDecodeRunning(signals),
	};
	return (
		<Box flexDirection="column">
			<Line
				segments={[{text: loraText(snapshot?.signals ?? null)}]}
				width={width}
			/>
			{engineRows >= 2 ? (
				<Table
					columns={signalColumns('engine', naming)}
					rows={engines}
					width={width}
					maxRows={engineRows}
				/>
			) : null}
			{modelRows >= 2 ? (
				<Table
					columns={signalColumns('model', naming)}
					rows={models}
					width={width}
					maxRows={modelRows}
				/>
			) : null}
		</Box>
	);
}
