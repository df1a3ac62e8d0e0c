/**
The GPU panel as text: the short cell each GPU gets in the plain line and in `--once`, and the throttle flag the
screen shows too. Pure.
*/
import type {GpuPanel} from '../gpu/gpu-panel.js';
import {
	busyFraction,
	type GpuReading,
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
