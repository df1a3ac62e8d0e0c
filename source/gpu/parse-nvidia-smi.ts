/**
Reads what `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` and `--query-compute-apps=…` print. Pure: text in,
readings or a one-line error out. `[N/A]`, `[Not Supported]` and other bracketed words become null.
*/
import {printable} from '../format/printable.js';
import {emptyReading, type GpuProcess, type GpuReading} from './gpu-reading.js';
import {
	appQueryFields,
	gpuQueryFields,
	type GpuQueryField,
} from './nvidia-smi-query.js';
import {parseThrottleMask, throttleReasonsOf} from './throttle-reasons.js';

export type NvidiaSmiResult =
	| {readonly ok: true; readonly gpus: readonly GpuReading[]}
	| {readonly ok: false; readonly error: string};

/** At most this many lines are read: no box has more GPUs, and a runaway tool must not grow memory. */
const maxLines = 256;
const maxName = 96;

function cellNumber(cell: string | undefined): number | null {
	if (cell === undefined) {
		return null;
	}

	const trimmed = cell.trim();
	if (trimmed === '' || trimmed.startsWith('[') || trimmed === 'N/A') {
		return null;
	}

	const value = Number(trimmed);
	return Number.isFinite(value) ? value : null;
}

function cellText(cell: string | undefined): string | null {
	const trimmed = cell?.trim() ?? '';
	if (trimmed === '' || trimmed.startsWith('[') || trimmed === 'N/A') {
		return null;
	}

	// Control characters reach the screen only as visible escapes.
	return printable(trimmed.slice(0, maxName));
}

function lines(text: string): string[] {
	return text
		.split('\n', maxLines + 1)
		.slice(0, maxLines)
		.map(line => line.replace(/\r$/, ''))
		.filter(line => line.trim() !== '');
}

function parseGpuLine(line: string, number: number): GpuReading | string {
	const cells = line.split(',');
	if (cells.length !== gpuQueryFields.length) {
		return `nvidia-smi line ${number}: expected ${gpuQueryFields.length} comma-separated fields, got ${cells.length}`;
	}

	const cell = (field: GpuQueryField) => cells[gpuQueryFields.indexOf(field)];
	const index = cellNumber(cell('index'));
	if (index === null || !Number.isInteger(index) || index < 0) {
		return `nvidia-smi line ${number}: the index is not a whole number`;
	}

	const mask = parseThrottleMask(cell('clocks_throttle_reasons.active') ?? '');
	const utilization = cellNumber(cell('utilization.gpu'));
	return emptyReading(index, cellText(cell('name')) ?? `GPU ${index}`, {
		uuid: cellText(cell('uuid')),
		utilization: utilization === null ? null : utilization / 100,
		memory_used_mib: cellNumber(cell('memory.used')),
		memory_total_mib: cellNumber(cell('memory.total')),
		power_w: cellNumber(cell('power.draw')),
		power_limit_w: cellNumber(cell('power.limit')),
		temperature_c: cellNumber(cell('temperature.gpu')),
		sm_clock_mhz: cellNumber(cell('clocks.sm')),
		sm_clock_max_mhz: cellNumber(cell('clocks.max.sm')),
		throttle_reasons: mask === undefined ? null : throttleReasonsOf(mask),
		ecc_uncorrected: cellNumber(cell('ecc.errors.uncorrected.volatile.total')),
	});
}

/** Every GPU in the `--query-gpu` output; an empty list when the tool lists none. */
export function parseGpuQuery(text: string): NvidiaSmiResult {
	const gpus: GpuReading[] = [];
	for (const [offset, line] of lines(text).entries()) {
		const gpu = parseGpuLine(line, offset + 1);
		if (typeof gpu === 'string') {
			return {ok: false, error: gpu};
		}

		gpus.push(gpu);
	}

	return {ok: true, gpus};
}

/** The processes in `--query-compute-apps` output, by GPU UUID. Lines that do not parse are skipped. */
export function parseAppQuery(
	text: string,
): ReadonlyMap<string, readonly GpuProcess[]> {
	const byGpu = new Map<string, GpuProcess[]>();
	for (const line of lines(text)) {
		const cells = line.split(',');
		if (cells.length < appQueryFields.length) {
			continue;
		}

		// A process name may itself hold a comma: it is everything between the pid and the memory.
		const uuid = cellText(cells[0]);
		const pid = cellNumber(cells[1]);
		const name = cellText(cells.slice(2, -1).join(','));
		if (uuid === null || pid === null || name === null) {
			continue;
		}

		const list = byGpu.get(uuid) ?? [];
		list.push({pid, name, used_memory_mib: cellNumber(cells.at(-1))});
		byGpu.set(uuid, list);
	}

	return byGpu;
}

/** The GPU readings with their processes attached. */
export function withProcesses(
	gpus: readonly GpuReading[],
	processes: ReadonlyMap<string, readonly GpuProcess[]>,
): GpuReading[] {
	return gpus.map(gpu => ({
		...gpu,
		processes: (gpu.uuid === null ? undefined : processes.get(gpu.uuid)) ?? [],
	}));
}
