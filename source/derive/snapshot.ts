/**
What the derive stage makes of one scrape: the signals and facts of one target at one moment. Its field names are the
public `--json` contract (`schema: 1`), so they are snake_case and documented in the README. Data missing on a page is
`null`, never 0. The alerts stage adds its verdict on top (see `pipeline/snapshot.ts`).
*/
import type {QuantileBound} from './histogram-quantile.js';

export type Quantiles = {
	readonly p50: number | null;
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
		readonly p95: QuantileBound | null;
		readonly p99: QuantileBound | null;
	};
};

export type SleepState = 'awake' | 'weights_offloaded' | 'discard_all';

export type Lora = {
	readonly running: readonly string[];
	readonly waiting: readonly string[];
	readonly max: number | null;
};

export type Signals = {
	readonly requests_running: number | null;
	readonly requests_waiting: number | null;
	/** V1 (2026-04+): waiting by reason (`capacity`, `deferred`). */
	readonly requests_waiting_by_reason: Readonly<Record<string, number>> | null;
	/** V0 only. */
	readonly requests_swapped: number | null;
	/** Fraction 0..1. */
	readonly kv_cache_usage: number | null;
	/** V0 only, fraction 0..1. */
	readonly cpu_kv_cache_usage: number | null;
	readonly prompt_tokens_per_s: number | null;
	readonly generation_tokens_per_s: number | null;
	readonly requests_per_s: number | null;
	readonly requests_per_s_by_reason: Readonly<Record<string, number>> | null;
	readonly preemptions_per_s: number | null;
	/** Fraction 0..1. */
	readonly prefix_cache_hit_rate: number | null;
	/** Fraction 0..1. */
	readonly spec_decode_acceptance_rate: number | null;
	readonly spec_decode_mean_acceptance_length: number | null;
	readonly lora: Lora | null;
	readonly sleep_state: SleepState | null;
	readonly ttft_seconds: Quantiles | null;
	/** Inter-token latency (V1) or time per output token (V0). */
	readonly itl_seconds: Quantiles | null;
	readonly e2e_seconds: Quantiles | null;
	readonly queue_seconds: Quantiles | null;
	readonly prefill_seconds: Quantiles | null;
	readonly decode_seconds: Quantiles | null;
};

export type CacheConfig = {
	readonly block_size: number | null;
	readonly num_gpu_blocks: number | null;
	/** KV pool in tokens: `kv_cache_size_tokens`, or `num_gpu_blocks` x `block_size`. */
	readonly kv_cache_size_tokens: number | null;
	readonly enable_prefix_caching: boolean | null;
	readonly gpu_memory_utilization: number | null;
	readonly cache_dtype: string | null;
};

export type Capacity = {
	readonly kv_pool_tokens: number | null;
	readonly avg_prompt_tokens: number | null;
	readonly avg_generation_tokens: number | null;
	readonly avg_tokens_per_request: number | null;
	/** KV pool tokens / average tokens per request. */
	readonly concurrency_ceiling: number | null;
	/** The ceiling with a 30 % buffer, per engine (the flag applies to each data-parallel engine). */
	readonly suggested_max_num_seqs: number | null;
	readonly headroom_tokens: number | null;
	readonly headroom_requests: number | null;
	/** Little's law: requests/s x mean e2e latency, to compare with requests running. */
	readonly littles_law_concurrency: number | null;
};

export type Status = 'ok' | 'warn' | 'crit' | 'down';

export type Server = {
	readonly version: string | null;
	readonly models: readonly string[];
	readonly engines: readonly string[];
	readonly generation: 'v0' | 'v1' | null;
	/** ISO time the server (engine) started, from `_created` or `process_start_time_seconds`; null when unknown. */
	readonly started_at: string | null;
};

/** Derive's output for one good scrape: no verdict yet, that is the alerts stage's. */
export type Observation = {
	readonly schema: 1;
	readonly target: string;
	/** ISO 8601 time of the scrape this snapshot reflects. */
	readonly at: string;
	readonly server: Server;
	readonly signals: Signals;
	readonly cache_config: CacheConfig | null;
	readonly capacity: Capacity | null;
	readonly per_engine: ReadonlyArray<{
		readonly engine: string;
		readonly signals: Signals;
	}>;
	readonly per_model: ReadonlyArray<{
		readonly model: string;
		readonly signals: Signals;
	}>;
	/** Counters went backwards since the previous scrape: the server restarted. */
	readonly restarted: boolean;
	/** Window the latency quantiles are computed over. */
	readonly window_seconds: number;
};
