import {type GpuPanel, gpuKey} from '../gpu/gpu-panel.js';
import type {GpuReading} from '../gpu/gpu-reading.js';
import {gpuFlag, gpuRowTail} from '../format/gpu-text.js';
import {cellWidth} from '../format/cell-width.js';
import {formatPercent} from '../format/units.js';
import type {Segment} from './line.js';
import {useDisplay} from './display-context.js';
import {Lines} from './lines.js';
import {sparklineSegments} from './sparkline-segments.js';
import type {Tone} from './theme.js';

export type GpuRowsProps = {
	/** The selected target's GPU panel; nothing is drawn without one. */
	readonly panel: GpuPanel | undefined;
	readonly width: number;
	readonly rows: number;
};

/** Rows the panel wants: one per GPU, or one for its notice. */
export function gpuRowCount(panel: GpuPanel | undefined): number {
	if (panel === undefined) {
		return 0;
	}

	return Math.max(panel.gpus.length, panel.notice === null ? 0 : 1);
}

/** The least the panel makes do with: its notice, or one GPU and the line that counts the rest. */
export function gpuMinimumRows(panel: GpuPanel | undefined): number {
	return Math.min(2, gpuRowCount(panel));
}

/** With fewer rows than GPUs, the flagged ones come first: a short pane still shows the GPU that is in trouble. */
function gpusToShow(
	gpus: readonly GpuReading[],
	room: number,
): readonly GpuReading[] {
	if (gpus.length <= room) {
		return gpus;
	}

	const flagged = gpus.filter(gpu => flagTone(gpu) !== undefined);
	const rest = gpus.filter(gpu => flagTone(gpu) === undefined);
	return [...flagged, ...rest].slice(0, room);
}

function flagTone(gpu: GpuReading): Tone | undefined {
	if ((gpu.xid_last ?? 0) > 0 || (gpu.ecc_uncorrected ?? 0) > 0) {
		return 'crit';
	}

	return gpuFlag(gpu) === '' ? undefined : 'warn';
}

/** One row per GPU of the target: busy-ness sparkline (SM active, or utilization), power of limit, heat, memory, flag. */
export function GpuRows({panel, width, rows}: GpuRowsProps) {
	const {ascii} = useDisplay();
	if (panel === undefined || rows <= 0) {
		return null;
	}

	const lines: Segment[][] = [];
	if (panel.notice !== null) {
		lines.push([
			{text: 'GPU  ', bold: true},
			{text: panel.notice, tone: 'warn'},
		]);
	}

	const room = rows - lines.length;
	// The last row counts what does not fit; the GPU view (v) lists every GPU.
	const shown = gpusToShow(
		panel.gpus,
		panel.gpus.length > room ? Math.max(0, room - 1) : room,
	);
	const tails = shown.map(gpu => `  ${gpuRowTail(gpu)}`);
	// One sparkline width for every row, so the values line up.
	const sparkWidth = Math.max(
		20,
		width - Math.max(0, ...tails.map(tail => cellWidth(tail))),
	);
	for (const [index, gpu] of shown.entries()) {
		const tail = tails[index] ?? '';
		const label = `GPU${gpu.index}${gpu.sm_active === null ? ' util' : ' SM'}`;
		lines.push([
			...sparklineSegments(
				{
					label,
					values: panel.busy[gpuKey(gpu)] ?? [],
					format: value => formatPercent(value),
					width: sparkWidth,
					labelWidth: width >= 60 ? 13 : 10,
					min: 0,
					max: 1,
					hasRange: false,
				},
				ascii,
			),
			{text: tail, tone: flagTone(gpu)},
		]);
	}

	const hidden = panel.gpus.length - shown.length;
	if (hidden > 0) {
		lines.push([
			{text: `+${hidden} more GPU${hidden === 1 ? '' : 's'}`, tone: 'dim'},
			{text: ' · v: GPU view', tone: 'dim'},
		]);
	}

	return <Lines rows={lines.slice(0, rows)} width={width} />;
}
