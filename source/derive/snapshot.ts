/**
What the derive stage makes of one scrape: the signals and facts of one target at one moment. Its field names are the
public `--json` contract (`schema: 1`), so they are snake_case and documented in the README. Data missing on a page is
`null`, never 0. The alerts stage adds its verdict on top (see `pipeline/snapshot.ts`).
*/
import type {DialectId} from '../catalog/server-dialects.js';
import type {Signals} from '../catalog/signal-types.js';

export type {Signals} from '../catalog/signal-types.js';
export type {Lora, Quantiles, SleepState} from '../catalog/signal-values.js';

export type CacheConfig = {
	readonly block_size: number | null;
	readonly num_gpu_blocks: number | null;
	/** The KV pool in tokens as the server states it (`kv_cache_size_tokens`); null when it does not. */
	readonly kv_cache_size_tokens: number | null;
	/** `block_size` x `num_gpu_blocks`: the token pool of a plain attention model, not of hybrid or compressed caches. */
	readonly block_tokens: number | null;
	/** Set (a number) on hybrid attention/mamba models; null on others. */
	readonly mamba_block_size: number | null;
	readonly enable_prefix_caching: boolean | null;
	readonly gpu_memory_utilization: number | null;
	readonly cache_dtype: string | null;
};

/** Where the KV pool figure comes from: the server's own `kv_cache_size_tokens`, or `block_size` x `num_gpu_blocks`. */
export type KvPoolSource = 'stated' | 'computed';

export type Capacity = {
	readonly kv_pool_tokens: number | null;
	readonly kv_pool_source: KvPoolSource | null;
	/** Why the pool (and everything built on it) is null, e.g. a hybrid model without a stated size. */
	readonly kv_pool_unknown: string | null;
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
	/** Who wrote the page: `vllm`, `ray_vllm` (vLLM under Ray Serve LLM) or `sglang`; null for neither. */
	readonly dialect: DialectId | null;
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
	/** Per gauge signal, its lowest and highest engine; null with fewer than two engines. */
	readonly engine_spread: Readonly<Record<string, EngineSpread>> | null;
	/** Counters went backwards since the previous scrape: the server restarted. */
	readonly restarted: boolean;
	/** Window the latency quantiles are computed over. */
	readonly window_seconds: number;
};

/** The lowest and highest value of one gauge across data-parallel engines, and which engines those are. */
export type EngineSpread = {
	readonly min: number;
	readonly max: number;
	readonly min_engine: string;
	readonly max_engine: string;
};
