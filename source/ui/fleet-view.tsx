import {Box} from 'ink';
import {
	filterFleet,
	fleetRows,
	fleetTotals,
	sortFleet,
	type FleetRow,
	type FleetSortKey,
	type FleetTotals,
} from '../fleet/fleet-summary.js';
import {badgeTone} from '../format/badge.js';
import {
	formatCount,
	formatNumber,
	formatPercent,
	formatSeconds,
} from '../format/units.js';
import type {MonitorState} from '../store/monitor-state.js';
import {cellWidth} from '../format/cell-width.js';
import {useDisplay} from './display-context.js';
import {Line, type Segment} from './line.js';
import {withGpuColumn} from './fleet-gpu-column.js';
import {Table, type Column} from './table.js';
import {kvUsageTone, type Tone} from './theme.js';

export type FleetViewProps = {
	/** What to show; `selected` is the highlighted target. */
	readonly state: MonitorState;
	readonly sortKey: FleetSortKey;
	/** Filter text as `filterFleet` reads it; empty shows every target. */
	readonly filter: string;
	readonly width: number;
	/** Terminal rows for the whole view: totals line, table header and rows, key line. */
	readonly rows: number;
};

/** Rows in the order and selection the view shows them, so the keys move through exactly what is on screen. */
export function visibleFleetRows(
	state: MonitorState,
	sortKey: FleetSortKey,
	filter: string,
): FleetRow[] {
	return sortFleet(filterFleet(fleetRows(state.targets), filter), sortKey);
}

/** The target index one step up or down the shown order from the selected one; the selection stays when filtered out. */
export function moveFleetSelection(
	state: MonitorState,
	sortKey: FleetSortKey,
	filter: string,
	step: 1 | -1,
): number {
	const shown = visibleFleetRows(state, sortKey, filter);
	if (shown.length === 0) {
		return state.selected;
	}

	const at = shown.findIndex(row => row.index === state.selected);
	if (at === -1) {
		return shown[0]!.index;
	}

	const next = Math.min(shown.length - 1, Math.max(0, at + step));
	return shown[next]!.index;
}

/** A target URL as host:port (and any path prefix): the scheme and `/metrics` say nothing on a narrow row. */
export function hostPort(name: string): string {
	const match = /^https?:\/\/(.+?)(?:\/metrics)?\/?$/.exec(name);
	return match ? match[1]! : name;
}

function kvTone(row: FleetRow): Tone | undefined {
	return kvUsageTone(row.kvCacheUsage);
}

function columns(
	selected: number,
	ascii: boolean,
	width: number,
	rows: readonly FleetRow[],
): Array<Column<FleetRow>> {
	// The target keeps its full host:port (up to 24 cells); the reason column gives up cells first.
	const nameWidth = Math.min(
		24,
		Math.max(6, ...rows.map(row => cellWidth(hostPort(row.name)))),
	);
	const all: Array<Column<FleetRow>> = [
		{
			key: 'mark',
			header: ' ',
			width: 1,
			render: row => (row.index === selected ? (ascii ? '>' : '▶') : ' '),
			tone: () => 'info',
		},
		{
			key: 'status',
			header: 'status',
			width: 9,
			render: row => row.badge,
			tone: row => badgeTone(row.badge),
		},
		{
			key: 'name',
			header: 'target',
			width: nameWidth,
			render: row => hostPort(row.name),
			tone: row => (row.index === selected ? 'info' : undefined),
		},
		{
			key: 'model',
			header: 'model',
			render: row => row.model ?? '--',
		},
		{
			key: 'running',
			header: 'run',
			align: 'right',
			render: row => formatCount(row.running),
		},
		{
			key: 'waiting',
			header: 'wait',
			align: 'right',
			render: row => formatCount(row.waiting),
			tone: row =>
				row.waiting !== null && row.waiting > 0 ? 'warn' : undefined,
		},
		{
			key: 'kv',
			header: 'KV',
			align: 'right',
			render: row => formatPercent(row.kvCacheUsage),
			tone: kvTone,
		},
		{
			key: 'gen',
			header: 'gen/s',
			align: 'right',
			render: row => formatNumber(row.generationTokensPerS),
		},
		{
			key: 'ttft',
			header: 'TTFT p95',
			align: 'right',
			render: row => formatSeconds(row.ttftP95),
		},
		{
			key: 'alerts',
			header: 'alerts',
			align: 'right',
			render: row => (row.alerts === 0 ? '0' : String(row.alerts)),
			tone: row =>
				row.worstAlert === 'crit'
					? 'crit'
					: row.worstAlert === 'warn'
						? 'warn'
						: undefined,
		},
		{
			key: 'reason',
			header: 'reason',
			render: row => row.reason ?? '',
			tone: row =>
				row.status === 'down'
					? 'crit'
					: row.worstAlert === 'crit'
						? 'crit'
						: row.worstAlert === 'warn'
							? 'warn'
							: 'dim',
		},
	];
	// Narrow terminals lose the model first (the target tells most fleets apart), then what the reason says anyway.
	const dropped = new Set([
		...(width < 90 ? ['model'] : []),
		...(width < 70 ? ['gen', 'ttft', 'alerts'] : []),
	]);
	return all.filter(column => !dropped.has(column.key));
}

function totalsLine(
	totals: FleetTotals,
	shown: number,
	sortKey: FleetSortKey,
	filter: string,
): Segment[] {
	const segments: Segment[] = [
		{text: 'fleet ', bold: true},
		{
			text: `${totals.up}/${totals.targets} up`,
			tone: totals.up < totals.targets ? 'warn' : 'ok',
		},
		{text: ` · run ${formatCount(totals.running)}`},
		{
			text: ` · wait ${formatCount(totals.waiting)}`,
			tone: totals.waiting > 0 ? 'warn' : undefined,
		},
		{text: ` · KV ${formatPercent(totals.meanKvCacheUsage)} avg`},
		{text: ` · gen ${formatNumber(totals.generationTokensPerS)}/s`},
		{
			text: ` · ${totals.alerts} alerts`,
			tone: totals.alerts > 0 ? 'warn' : undefined,
		},
	];
	// The filter before the sort key: a narrow line cuts the end, and a hidden filter would hide targets unexplained.
	if (filter !== '') {
		segments.push({
			text: ` · filter ${filter} (${shown} shown)`,
			tone: 'info',
		});
	}

	segments.push({text: ` · sort ${sortKey}`, tone: 'dim'});
	return segments;
}

/** The first shown row, so the selected one is always on screen however long the fleet is. */
function scrollStart(selectedAt: number, room: number, total: number): number {
	if (total <= room || selectedAt < room) {
		return 0;
	}

	return Math.min(total - room, selectedAt - room + 1);
}

/**
One row per target with the fleet's totals above: what a team with many GPU boxes looks at first. The view does not
handle keys; the app moves `selected` and passes the sort key and filter.
*/
export function FleetView({
	state,
	sortKey,
	filter,
	width,
	rows,
}: FleetViewProps) {
	const {ascii} = useDisplay();
	if (rows <= 0) {
		return null;
	}

	const all = fleetRows(state.targets);
	const totals = fleetTotals(all);
	const shown = sortFleet(filterFleet(all, filter), sortKey);
	// Totals line, table header, key line.
	const room = Math.max(0, rows - 3);
	const selectedAt = Math.max(
		0,
		shown.findIndex(row => row.index === state.selected),
	);
	const start = scrollStart(selectedAt, room, shown.length);
	const page = shown.slice(start, start + room);
	const more = shown.length - start - page.length;
	return (
		<Box flexDirection="column" width={width}>
			<Line
				segments={totalsLine(totals, shown.length, sortKey, filter)}
				width={width}
			/>
			{rows >= 2 ? (
				shown.length === 0 ? (
					<Line
						segments={[{text: 'no target matches the filter', tone: 'dim'}]}
						width={width}
					/>
				) : (
					<Table
						columns={withGpuColumn(
							columns(state.selected, ascii, width, page),
							state.gpus,
						)}
						rows={page}
						width={width}
						maxRows={page.length + 1}
					/>
				)
			) : null}
			{rows >= 3 ? (
				<Line
					segments={[
						{
							text: `${start > 0 ? `${start} above · ` : ''}${more > 0 ? `${more} below · ` : ''}j/k move · enter open · s sort · f filter · q quit`,
							tone: 'dim',
						},
					]}
					width={width}
				/>
			) : null}
		</Box>
	);
}
