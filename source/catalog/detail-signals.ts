/**
More of what a vLLM server reports, beside the core signals: KV offload traffic, the external and multimodal caches,
how full each engine step is, errors, and the lengths of the requests served. One group of the catalog, spread into
`signalCatalog` after the core entries, so its fields follow theirs in `--json`.
*/
import {
	formatCount,
	formatNumber,
	formatPercent,
	formatRate,
} from '../format/units.js';
import type {SignalDef} from './signal-def.js';
import {vllmMetric} from './vllm-metrics.js';

const {kvOffload} = vllmMetric;

const offloadBytes = {
	aggregate: 'sum',
	unit: 'bytes/s',
	format: formatNumber,
	topic: 'kv cache',
} as const;

const offloadTime = {
	aggregate: 'sum',
	unit: 'seconds/s',
	format: formatNumber,
	topic: 'kv cache',
} as const;

const tokenLengths = {
	aggregate: 'buckets',
	unit: 'tokens',
	format: formatCount,
	topic: 'latency',
} as const;

export const detailSignals = [
	{
		key: 'kv_offload_load_bytes_per_s',
		doc: 'KV offload: bytes per second loaded from offload storage (CPU) back to the GPU.',
		kind: {type: 'rate', counter: kvOffload.loadBytes},
		...offloadBytes,
		label: 'Offload load B/s',
		tone: 'first',
		plain: {label: 'Offload load', suffix: 'B/s', optional: true},
		once: {label: 'offload load', suffix: 'B/s', optional: true},
	},
	{
		key: 'kv_offload_store_bytes_per_s',
		doc: 'KV offload: bytes per second stored from the GPU to offload storage.',
		kind: {type: 'rate', counter: kvOffload.storeBytes},
		...offloadBytes,
		label: 'Offload store B/s',
		tone: 'second',
		plain: {label: 'Offload store', suffix: 'B/s', optional: true},
		once: {label: 'store', suffix: 'B/s', continues: true, optional: true},
	},
	{
		key: 'kv_offload_load_seconds_per_s',
		doc: 'KV offload: seconds spent loading per second (summed over workers, so it may exceed 1).',
		kind: {type: 'rate', counter: kvOffload.loadTime},
		...offloadTime,
		label: 'Offload load time/s',
	},
	{
		key: 'kv_offload_store_seconds_per_s',
		doc: 'KV offload: seconds spent storing per second (summed over workers, so it may exceed 1).',
		kind: {type: 'rate', counter: kvOffload.storeTime},
		...offloadTime,
		label: 'Offload store time/s',
	},
	{
		key: 'kv_offload_cpu_cache_usage',
		doc: 'KV offload: the share of the CPU tier pinned by transfers in flight, a fraction 0..1; near 1 for long, stores are dropped.',
		kind: {type: 'gauge', names: [kvOffload.cpuCacheUsage]},
		aggregate: 'mean',
		unit: 'fraction',
		label: 'Offload CPU cache',
		format: formatPercent,
		tone: 'info',
		topic: 'kv cache',
		plain: {label: 'Offload CPU', optional: true},
		once: {label: 'offload cpu', optional: true},
	},
	{
		key: 'kv_offload_allocation_failures_per_s',
		doc: 'KV offload: store allocations that failed per second (the CPU tier had no room).',
		kind: {type: 'rate', counter: kvOffload.allocationFailures},
		aggregate: 'sum',
		unit: 'events/s',
		label: 'Offload alloc failures',
		format: formatNumber,
		tone: 'crit',
		topic: 'kv cache',
		plain: {label: 'Offload fails', format: formatRate, optional: true},
		once: {
			label: 'failed allocations',
			suffix: '/s',
			continues: true,
			optional: true,
		},
	},
	{
		key: 'external_prefix_cache_hit_rate',
		doc: 'Hits over queries of a KV connector cache beyond the engine (another instance, or offloaded KV), a fraction 0..1.',
		kind: {
			type: 'ratio',
			pairs: [
				{
					numerator: vllmMetric.externalPrefixCache.hits,
					denominator: vllmMetric.externalPrefixCache.queries,
				},
			],
		},
		aggregate: 'ratio',
		unit: 'fraction',
		label: 'External prefix hit',
		format: formatPercent,
		topic: 'cache',
		plain: {label: 'External hit', optional: true},
		once: {label: 'external hit', optional: true},
	},
	{
		key: 'mm_cache_hit_rate',
		doc: 'Multimodal cache: inputs (images, audio) found already processed over those looked up, a fraction 0..1.',
		kind: {
			type: 'ratio',
			pairs: [
				{
					numerator: vllmMetric.mmCache.hits,
					denominator: vllmMetric.mmCache.queries,
				},
			],
		},
		aggregate: 'ratio',
		unit: 'fraction',
		label: 'Multimodal hit',
		format: formatPercent,
		topic: 'cache',
		plain: {label: 'MM hit', optional: true},
		once: {label: 'multimodal hit', optional: true},
	},
	{
		key: 'batch_tokens',
		doc: 'Tokens per engine step (computed prompt plus generated tokens), from `vllm:iteration_tokens_total`.',
		kind: {type: 'quantiles', names: [vllmMetric.iterationTokens]},
		aggregate: 'buckets',
		unit: 'tokens',
		label: 'Tokens per step',
		format: formatCount,
		topic: 'scheduler',
		once: {label: 'tokens/step p50', stat: 'p50', optional: true},
	},
	{
		key: 'corrupted_requests_per_s',
		doc: 'Requests per second whose logits held NaNs (only with `VLLM_COMPUTE_NANS_IN_LOGITS` set).',
		kind: {type: 'rate', counter: vllmMetric.corruptedRequests},
		aggregate: 'sum',
		unit: 'requests/s',
		label: 'Corrupted',
		format: formatNumber,
		tone: 'crit',
		topic: 'requests',
		plain: {label: 'Corrupted', format: formatRate, optional: true},
		once: {label: 'corrupted', suffix: '/s', optional: true},
	},
	{
		key: 'http_requests_per_s_by_status',
		doc: 'HTTP answers of the API server per second by status class (`2xx`, `4xx`, `5xx`); the server total only.',
		kind: {
			type: 'breakdown',
			of: 'rate',
			name: vllmMetric.httpRequests,
			label: 'status',
		},
		aggregate: 'total-only',
		unit: 'requests/s',
		label: 'HTTP answers/s by status',
		format: formatNumber,
		topic: 'requests',
	},
	{
		key: 'prompt_length_tokens',
		doc: 'Prompt length of the requests finished in the window.',
		...tokenLengths,
		kind: {type: 'quantiles', names: [vllmMetric.promptTokensHistogram]},
		label: 'Prompt length',
		once: {label: 'prompt len p50', stat: 'p50', optional: true},
	},
	{
		key: 'generation_length_tokens',
		doc: 'Generated length of the requests finished in the window.',
		...tokenLengths,
		kind: {
			type: 'quantiles',
			names: [vllmMetric.generationTokensHistogram],
		},
		label: 'Generation length',
		once: {label: 'output len p50', stat: 'p50', optional: true},
	},
	{
		key: 'prompt_length_histogram',
		doc: 'Finished requests per second by prompt length, cumulative by bucket bound `le` as on the page, between the last two scrapes.',
		kind: {
			type: 'breakdown',
			of: 'rate',
			name: `${vllmMetric.promptTokensHistogram}_bucket`,
			label: 'le',
		},
		aggregate: 'sum',
		unit: 'requests/s',
		label: 'Prompt length histogram',
		topic: 'latency',
	},
	{
		key: 'generation_length_histogram',
		doc: 'Finished requests per second by generated length, cumulative by bucket bound `le`, between the last two scrapes.',
		kind: {
			type: 'breakdown',
			of: 'rate',
			name: `${vllmMetric.generationTokensHistogram}_bucket`,
			label: 'le',
		},
		aggregate: 'sum',
		unit: 'requests/s',
		label: 'Generation length histogram',
		topic: 'latency',
	},
] as const satisfies readonly SignalDef[];
