/**
The vLLM metric names the monitor reads, V0 (<= 0.10) through current V1, as they appear on the wire (vLLM's
`vllm/v1/metrics/loggers.py`, and `vllm/engine/metrics.py` for V0). Where a metric was renamed, the newest name comes
first in the fallback lists. The signals in `signals.ts` name which of these they read and how.
*/

export const vllmMetric = {
	running: 'vllm:num_requests_running',
	waiting: 'vllm:num_requests_waiting',
	waitingByReason: 'vllm:num_requests_waiting_by_reason',
	swapped: 'vllm:num_requests_swapped',
	kvCacheUsage: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
	cpuCacheUsage: 'vllm:cpu_cache_usage_perc',
	promptTokens: 'vllm:prompt_tokens_total',
	/** V1 (2026-02 and later): prompt tokens by `source` (`local_compute`, `local_cache_hit`, `external_kv_transfer`). */
	promptTokensBySource: 'vllm:prompt_tokens_by_source_total',
	generationTokens: 'vllm:generation_tokens_total',
	/** V0 gauges from before the token counters. */
	promptThroughput: 'vllm:avg_prompt_throughput_toks_per_s',
	generationThroughput: 'vllm:avg_generation_throughput_toks_per_s',
	requestSuccess: 'vllm:request_success_total',
	preemptions: 'vllm:num_preemptions_total',
	prefixCacheCounters: [
		{
			queries: 'vllm:prefix_cache_queries_total',
			hits: 'vllm:prefix_cache_hits_total',
		},
		{
			queries: 'vllm:gpu_prefix_cache_queries_total',
			hits: 'vllm:gpu_prefix_cache_hits_total',
		},
	],
	/** V0 gauge, -1 when prefix caching is off. */
	prefixCacheHitRate: 'vllm:gpu_prefix_cache_hit_rate',
	/** Hits of a KV connector's cache beyond this engine (another instance, or the CPU tier of KV offload). */
	externalPrefixCache: {
		queries: 'vllm:external_prefix_cache_queries_total',
		hits: 'vllm:external_prefix_cache_hits_total',
	},
	/** Multimodal inputs (images, audio) found already processed, counted in items. */
	mmCache: {
		queries: 'vllm:mm_cache_queries_total',
		hits: 'vllm:mm_cache_hits_total',
	},
	/** Tokens each engine step scheduled (computed prompt tokens plus generated tokens). */
	iterationTokens: 'vllm:iteration_tokens_total',
	/** Only with `VLLM_COMPUTE_NANS_IN_LOGITS`: requests whose logits held NaNs. */
	corruptedRequests: 'vllm:corrupted_requests_total',
	/** The API server's HTTP answers (prometheus-fastapi-instrumentator), `status` grouped as `2xx`..`5xx`. */
	httpRequests: 'http_requests_total',
	/**
	The OffloadingConnector (`--kv-transfer-config` with `OffloadingConnector`): `load` is offload storage to GPU,
	`store` is GPU to offload storage (vllm/distributed/kv_transfer/kv_connector/v1/offloading/metrics.py).
	*/
	kvOffload: {
		loadBytes: 'vllm:kv_offload_load_bytes_total',
		loadTime: 'vllm:kv_offload_load_time_total',
		storeBytes: 'vllm:kv_offload_store_bytes_total',
		storeTime: 'vllm:kv_offload_store_time_total',
		allocationFailures: 'vllm:kv_offload_allocation_failure_total',
		/** The share of the CPU tier pinned by transfers in flight (vllm/v1/kv_offload/cpu/spec.py). */
		cpuCacheUsage: 'vllm:kv_offload_cpu_cache_usage_perc',
	},
	specDrafts: 'vllm:spec_decode_num_drafts_total',
	specDraftTokens: 'vllm:spec_decode_num_draft_tokens_total',
	specAcceptedTokens: 'vllm:spec_decode_num_accepted_tokens_total',
	/** Accepted tokens by draft `position` ("0" .. num_speculative_tokens - 1). */
	specAcceptedPerPosition: 'vllm:spec_decode_num_accepted_tokens_per_pos_total',
	/** V0 gauge. */
	specAcceptanceRate: 'vllm:spec_decode_draft_acceptance_rate',
	lora: 'vllm:lora_requests_info',
	sleepState: 'vllm:engine_sleep_state',
	cacheConfig: 'vllm:cache_config_info',
	promptTokensHistogram: 'vllm:request_prompt_tokens',
	generationTokensHistogram: 'vllm:request_generation_tokens',
	latency: {
		ttft: ['vllm:time_to_first_token_seconds'],
		itl: [
			'vllm:inter_token_latency_seconds',
			'vllm:time_per_output_token_seconds',
		],
		/** One observation per finished request: its mean time per output token (V1, 2025-09 and later). */
		tpot: ['vllm:request_time_per_output_token_seconds'],
		e2e: ['vllm:e2e_request_latency_seconds'],
		queue: ['vllm:request_queue_time_seconds', 'vllm:time_in_queue_requests'],
		prefill: ['vllm:request_prefill_time_seconds'],
		decode: ['vllm:request_decode_time_seconds'],
	},
} as const;

/**
Families only a V1 engine exposes (besides the `engine` label and `_created` series, checked separately), as sample
names: a histogram by its `_count`. V0 markers are checked first, so a V0 page that had one of these late in V0's life
still reads as V0.
*/
export const v1Markers: readonly string[] = [
	'vllm:kv_cache_usage_perc',
	'vllm:prefix_cache_queries_total',
	'vllm:gpu_prefix_cache_queries_total',
	'vllm:num_requests_waiting_by_reason',
	'vllm:engine_sleep_state',
	'vllm:spec_decode_num_drafts_total',
	'vllm:spec_decode_num_accepted_tokens_per_pos_total',
	'vllm:inter_token_latency_seconds_count',
	'vllm:request_time_per_output_token_seconds_count',
	'vllm:request_prefill_kv_computed_tokens_count',
	'vllm:prompt_tokens_by_source_total',
	'vllm:prompt_tokens_cached_total',
	'vllm:prompt_tokens_recomputed_total',
	'vllm:external_prefix_cache_queries_total',
	'vllm:mm_cache_queries_total',
	'vllm:corrupted_requests_total',
	'vllm:kv_block_lifetime_seconds_count',
	'vllm:estimated_flops_per_gpu_total',
];

/** Families only a V0 engine exposes. */
export const v0Markers: readonly string[] = [
	'vllm:num_requests_swapped',
	'vllm:cpu_cache_usage_perc',
	'vllm:gpu_prefix_cache_hit_rate',
	'vllm:avg_prompt_throughput_toks_per_s',
	'vllm:time_in_queue_requests_count',
	'vllm:spec_decode_draft_acceptance_rate',
];

/** The labels V1 puts on every series of a data-parallel engine and of a served model. */
export const vllmLabel = {engine: 'engine', model: 'model_name'} as const;
