/**
The GPU panel as text: the short cell each GPU gets in the plain line and in `--once`, and the throttle flag the
screen shows too. Pure.
*/
import type {GpuPanel} from '../gpu/gpu-panel.js';
import {
	busyFraction,
	type GpuReading,
	meanBusy,
	powerFraction,
} from '../gpu/gpu-reading.js';
import {throttleKind} from '../gpu/throttle-reasons.js';
import {missing} from './units.js';

function percent(fraction: number | null): string {
	return fraction === null ? missing : `${Math.round(fraction * 100)}%`;
}

/** `THERMAL`, `POWER`, `XID 79`, `ECC 2`, or empty: the worst thing to say about a GPU in a few letters. */
export function gpuFlag(gpu: GpuReading): string {
	const flags: string[] = [];
	if (gpu.xid_last !== null && gpu.xid_last > 0) {
		flags.push(`XID ${gpu.xid_last}`);
	}

	if (gpu.ecc_uncorrected !== null && gpu.ecc_uncorrected > 0) {
		flags.push(`ECC ${gpu.ecc_uncorrected}`);
	}

	const kind = throttleKind(gpu.throttle_reasons);
	if (kind !== null) {
		flags.push(kind === 'thermal' ? 'THERMAL' : 'POWER');
	}

	return flags.join(' ');
}

/** `0 87% 73%pwr 64C 70/80G`: index, busy, power of limit, temperature, memory, then any flag. */
export function gpuCell(gpu: GpuReading): string {
	const memory =
		gpu.memory_used_mib === null || gpu.memory_total_mib === null
			? missing
			: `${Math.round(gpu.memory_used_mib / 1024)}/${Math.round(gpu.memory_total_mib / 1024)}G`;
	const temperature =
		gpu.temperature_c === null ? missing : `${Math.round(gpu.temperature_c)}C`;
	const flag = gpuFlag(gpu);
	return [
		String(gpu.index),
		percent(busyFraction(gpu)),
		`${percent(powerFraction(gpu))}pwr`,
		temperature,
		memory,
		...(flag === '' ? [] : [flag]),
	].join(' ');
}

/** The plain line's `GPU:` value: every GPU's cell, or the notice when there is nothing to show. */
export function gpuSummary(panel: GpuPanel): string {
	if (panel.gpus.length === 0) {
		return panel.notice ?? missing;
	}

	return panel.gpus.map(gpu => gpuCell(gpu)).join('; ');
}

function gib(mib: number | null): string {
	return mib === null ? missing : `${(mib / 1024).toFixed(1)}G`;
}

function pair(
	value: number | null,
	limit: number | null,
	unit: string,
): string {
	if (value === null && limit === null) {
		return missing;
	}

	const part = (number: number | null) =>
		number === null ? missing : String(Math.round(number));
	return `${part(value)}/${part(limit)} ${unit}`;
}

/** The GPU overview row after its sparkline: `pwr 73%  64C  70/80G  THERMAL`. */
export function gpuRowTail(gpu: GpuReading): string {
	const temperature =
		gpu.temperature_c === null ? missing : `${Math.round(gpu.temperature_c)}C`;
	const memory =
		gpu.memory_used_mib === null || gpu.memory_total_mib === null
			? missing
			: `${Math.round(gpu.memory_used_mib / 1024)}/${Math.round(gpu.memory_total_mib / 1024)}G`;
	return [
		`pwr ${percent(powerFraction(gpu))}`,
		temperature,
		memory,
		gpuFlag(gpu),
	]
		.filter(part => part !== '')
		.join('  ');
}

/** Every field of a GPU as label and value, in the order the GPU view lists them. */
export function gpuFields(
	gpu: GpuReading,
): ReadonlyArray<readonly [string, string]> {
	return [
		['name', gpu.name],
		['host', gpu.host ?? 'this host'],
		['utilization', percent(gpu.utilization)],
		['SM active', percent(gpu.sm_active)],
		['tensor active', percent(gpu.tensor_active)],
		['DRAM active', percent(gpu.dram_active)],
		[
			'memory',
			gpu.memory_used_mib === null && gpu.memory_total_mib === null
				? missing
				: `${gib(gpu.memory_used_mib)}/${gib(gpu.memory_total_mib)}`,
		],
		['power', pair(gpu.power_w, gpu.power_limit_w, 'W')],
		['power of limit', percent(powerFraction(gpu))],
		[
			'temperature',
			gpu.temperature_c === null
				? missing
				: `${Math.round(gpu.temperature_c)} C`,
		],
		['SM clock', pair(gpu.sm_clock_mhz, gpu.sm_clock_max_mhz, 'MHz')],
		[
			'throttle',
			gpu.throttle_reasons === null
				? missing
				: gpu.throttle_reasons.join(' ') || 'none',
		],
		['last XID', gpu.xid_last === null ? missing : String(gpu.xid_last)],
		[
			'ECC uncorrected',
			gpu.ecc_uncorrected === null ? missing : String(gpu.ecc_uncorrected),
		],
		[
			'NVLink total',
			gpu.nvlink_bytes_total === null
				? missing
				: `${(gpu.nvlink_bytes_total / 1e9).toFixed(1)} GB`,
		],
		['processes', String(gpu.processes.length)],
	];
}

/** Mean SM active (utilization without DCGM) over the panel's GPUs, for the fleet table; null when none reports it. */
export function meanBusyOf(panel: GpuPanel | undefined): number | null {
	return meanBusy(panel?.gpus ?? []);
}
