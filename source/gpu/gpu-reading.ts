/**
What one GPU is doing at one moment, whichever tool reported it (`nvidia-smi` on this host, or a DCGM exporter page).
A field the tool does not report, or reports as `[N/A]`/`[Not Supported]`, is null.
*/
import type {ThrottleReason} from './throttle-reasons.js';

/** One process holding memory on a GPU (`nvidia-smi --query-compute-apps`), so the vLLM workers are named. */
export type GpuProcess = {
	readonly pid: number;
	readonly name: string;
	readonly used_memory_mib: number | null;
};

export type GpuReading = {
	/** The device index (`index` in nvidia-smi, the `gpu` label in DCGM). */
	readonly index: number;
	readonly uuid: string | null;
	/** Product name, e.g. `NVIDIA H100 80GB HBM3`. */
	readonly name: string;
	/** The host it sits in (DCGM's `Hostname` label); null for this host. */
	readonly host: string | null;
	/** Fraction of the sample period a kernel ran (0..1). */
	readonly utilization: number | null;
	/** Fraction of cycles an SM had a warp assigned (0..1); DCGM only. */
	readonly sm_active: number | null;
	/** Fraction of cycles the tensor pipe was active (0..1); DCGM only. */
	readonly tensor_active: number | null;
	/** Fraction of cycles device memory was busy (0..1); DCGM only. */
	readonly dram_active: number | null;
	readonly memory_used_mib: number | null;
	readonly memory_total_mib: number | null;
	readonly power_w: number | null;
	readonly power_limit_w: number | null;
	readonly temperature_c: number | null;
	readonly sm_clock_mhz: number | null;
	readonly sm_clock_max_mhz: number | null;
	/** Active clock throttle reasons by name; idle alone is not throttling. Null when the tool does not say. */
	readonly throttle_reasons: readonly ThrottleReason[] | null;
	/** The last XID error reported (0: none); DCGM only. */
	readonly xid_last: number | null;
	/** Uncorrectable (double-bit) ECC errors since the driver loaded. */
	readonly ecc_uncorrected: number | null;
	/** NVLink bytes since boot, all links; DCGM only. */
	readonly nvlink_bytes_total: number | null;
	readonly processes: readonly GpuProcess[];
};

/** A reading with only the identity known; the parsers fill in what their tool reports. */
export function emptyReading(
	index: number,
	name: string,
	extra: Partial<GpuReading> = {},
): GpuReading {
	return {
		index,
		uuid: null,
		name,
		host: null,
		utilization: null,
		sm_active: null,
		tensor_active: null,
		dram_active: null,
		memory_used_mib: null,
		memory_total_mib: null,
		power_w: null,
		power_limit_w: null,
		temperature_c: null,
		sm_clock_mhz: null,
		sm_clock_max_mhz: null,
		throttle_reasons: null,
		xid_last: null,
		ecc_uncorrected: null,
		nvlink_bytes_total: null,
		processes: [],
		...extra,
	};
}

/** The busy-ness figure the panel draws: SM active when the tool reports it (it says more), else utilization. */
export function busyFraction(reading: GpuReading): number | null {
	return reading.sm_active ?? reading.utilization;
}

/** Mean busy-ness over the GPUs that report it, or null when none does. */
export function meanBusy(gpus: readonly GpuReading[]): number | null {
	const values = gpus
		.map(gpu => busyFraction(gpu))
		.filter(value => value !== null);
	return values.length === 0
		? null
		: values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Power draw as a fraction of its limit, or null when either is unknown. */
export function powerFraction(reading: GpuReading): number | null {
	return reading.power_w !== null &&
		reading.power_limit_w !== null &&
		reading.power_limit_w > 0
		? reading.power_w / reading.power_limit_w
		: null;
}
