/**
The `nvidia-smi` command lines the GPU panel runs, and the order of the CSV columns they print. Field names are
nvidia-smi's own (`nvidia-smi --help-query-gpu`, `--help-query-compute-apps`).
*/
export const gpuQueryFields = [
	'index',
	'uuid',
	'name',
	'utilization.gpu',
	'memory.used',
	'memory.total',
	'power.draw',
	'power.limit',
	'temperature.gpu',
	'clocks.sm',
	'clocks.max.sm',
	'clocks_throttle_reasons.active',
	'ecc.errors.uncorrected.volatile.total',
] as const;

export type GpuQueryField = (typeof gpuQueryFields)[number];

export const appQueryFields = [
	'gpu_uuid',
	'pid',
	'process_name',
	'used_memory',
] as const;

const csv = '--format=csv,noheader,nounits';

/** Arguments for one reading of every GPU. */
export const gpuQueryArguments: readonly string[] = [
	`--query-gpu=${gpuQueryFields.join(',')}`,
	csv,
];

/** Arguments for the processes holding GPU memory. */
export const appQueryArguments: readonly string[] = [
	`--query-compute-apps=${appQueryFields.join(',')}`,
	csv,
];
