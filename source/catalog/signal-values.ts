/**
The value shapes a signal can have besides a plain number. Part of the public `--json` contract (`schema: 1`).
*/
import type {QuantileBound} from '../derive/histogram-quantile.js';

export type Quantiles = {
	readonly p50: number | null;
	readonly p90: number | null;
	readonly p95: number | null;
	readonly p99: number | null;
	readonly mean: number | null;
	/**
	Per quantile, set when it fell in the first bucket (`below` its bound) or past the last finite one (`above` it):
	the number beside it is then the bucket arithmetic's guess. Absent when no quantile is bounded, or the buckets are
	not known (Prometheus).
	*/
	readonly bounded?: {
		readonly p50: QuantileBound | null;
		readonly p90: QuantileBound | null;
		readonly p95: QuantileBound | null;
		readonly p99: QuantileBound | null;
	};
};

/** `vllm:engine_sleep_state`: the deepest level any engine in the slice is at. */
export type SleepState = 'awake' | 'weights_offloaded' | 'discard_all';

/** `vllm:lora_requests_info`: the adapters of the newest series. */
export type Lora = {
	readonly running: readonly string[];
	readonly waiting: readonly string[];
	readonly max: number | null;
};

/** A breakdown by one label's values. */
export type Breakdown = Readonly<Record<string, number>>;
