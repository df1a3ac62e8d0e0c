/**
The DCGM exporter's metric names the GPU panel reads, as NVIDIA's dcgm-exporter publishes them (its
`etc/default-counters.csv` and `etc/dcp-metrics-included.csv`), with the unit each is in.
*/
export const dcgmField = {
	/** gauge, % */
	gpuUtil: 'DCGM_FI_DEV_GPU_UTIL',
	/** gauge, ratio of cycles an SM has at least one warp assigned */
	smActive: 'DCGM_FI_PROF_SM_ACTIVE',
	/** gauge, ratio of cycles the tensor (HMMA) pipe is active */
	tensorActive: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
	/** gauge, ratio of cycles the device memory interface is busy */
	dramActive: 'DCGM_FI_PROF_DRAM_ACTIVE',
	/** gauge, MiB */
	fbUsed: 'DCGM_FI_DEV_FB_USED',
	/** gauge, MiB */
	fbFree: 'DCGM_FI_DEV_FB_FREE',
	/** gauge, MiB */
	fbReserved: 'DCGM_FI_DEV_FB_RESERVED',
	/** gauge, W */
	power: 'DCGM_FI_DEV_POWER_USAGE',
	/** gauge, W */
	powerLimit: 'DCGM_FI_DEV_POWER_MGMT_LIMIT',
	/** gauge, °C */
	temperature: 'DCGM_FI_DEV_GPU_TEMP',
	/** gauge, MHz */
	smClock: 'DCGM_FI_DEV_SM_CLOCK',
	/** gauge, MHz */
	smClockMax: 'DCGM_FI_DEV_MAX_SM_CLOCK',
	/** gauge, the value of the last XID error */
	xid: 'DCGM_FI_DEV_XID_ERRORS',
	/** gauge, the NVML throttle reason mask */
	throttle: 'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS',
	/** the same mask under its newer name */
	clocksEvent: 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS',
	/** counter, double-bit volatile ECC errors */
	eccDbe: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
	/** counter, NVLink bandwidth counters, all lanes */
	nvlink: 'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL',
} as const;

/** The labels dcgm-exporter puts on every sample. */
export const dcgmLabel = {
	gpu: 'gpu',
	uuid: 'UUID',
	host: 'Hostname',
	model: 'modelName',
} as const;

/** Where dcgm-exporter listens unless told otherwise (its `--address` default, `:9400`); its page is at `/metrics`. */
export const dcgmExporterPort = '9400';
