import type {FleetRow} from '../fleet/fleet-summary.js';
import type {GpuPanel} from '../gpu/gpu-panel.js';
import {meanBusyOf} from '../format/gpu-text.js';
import {formatPercent} from '../format/units.js';
import type {Column} from './table.js';

/**
The fleet table's `GPU` column: each target's mean SM active (utilization without DCGM), when any target has GPU
readings; none otherwise, so a fleet without GPU sources keeps its width.
*/
export function fleetGpuColumn(
	gpus: ReadonlyArray<GpuPanel | undefined> | undefined,
): Column<FleetRow> | undefined {
	if (!gpus?.some(panel => panel !== undefined && panel.gpus.length > 0)) {
		return undefined;
	}

	return {
		key: 'gpu',
		header: 'GPU',
		align: 'right',
		render: row => formatPercent(meanBusyOf(gpus[row.index])),
	};
}

/** The columns with the GPU column after the KV one (or last), when there is one. */
export function withGpuColumn(
	columns: Array<Column<FleetRow>>,
	gpus: ReadonlyArray<GpuPanel | undefined> | undefined,
): Array<Column<FleetRow>> {
	const column = fleetGpuColumn(gpus);
	if (column === undefined) {
		return columns;
	}

	const at = columns.findIndex(each => each.key === 'kv');
	return at === -1
		? [...columns, column]
		: [...columns.slice(0, at + 1), column, ...columns.slice(at + 1)];
}
