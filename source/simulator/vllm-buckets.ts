/** Bucket boundaries exactly as vLLM declares them (vllm/v1/metrics/loggers.py on main, vllm/engine/metrics.py in V0 0.6.3). */

/** vLLM's `build_1_2_5_buckets(max_model_len)`: 1, 2, 5, 10, 20, 50, ... not above max_model_len. */
export function build125Buckets(max: number): number[] {
	const buckets: number[] = [];
	for (let exponent = 1; ; exponent *= 10) {
		for (const mantissa of [1, 2, 5]) {
			const value = mantissa * exponent;
			if (value > max) {
				return buckets;
			}

			buckets.push(value);
		}
	}
}

export const ttftBuckets = [
	0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5,
	7.5, 10, 20, 40, 80, 160, 640, 2560,
];

export const interTokenBuckets = [
	0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5,
	10, 20, 40, 80,
];

export const requestLatencyBuckets = [
	0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480,
	960, 1920, 7680,
];

export const iterationTokenBuckets = [
	1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16_384,
];

export const requestParamsNBuckets = [1, 2, 5, 10, 20];

export const v0TtftBuckets = [
	0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5,
	7.5, 10,
];

export const v0TpotBuckets = [
	0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5,
];

export const v0E2eBuckets = [1, 2.5, 5, 10, 15, 20, 30, 40, 50, 60];
