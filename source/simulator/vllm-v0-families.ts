import type {FamilyTable} from './family-table.js';
import {
	requestParamsNBuckets,
	v0E2eBuckets,
	v0TpotBuckets,
	v0TtftBuckets,
} from './vllm-buckets.js';

const modelLabels = ['model_name'] as const;

/**
The V0 engine's families as shipped in vLLM 0.6.3 (vllm/engine/metrics.py), in the order the page lists them:
`model_name` is the only label, swapped and CPU cache gauges exist, TPOT instead of ITL, and a prefix-cache hit-rate
gauge instead of counters.
*/
export const v0Families = {
	cacheConfig: {
		name: 'vllm:cache_config_info',
		type: 'gauge',
		help: 'Information of the LLMEngine CacheConfig',
		labels: [
			'block_size',
			'cache_dtype',
			'enable_prefix_caching',
			'gpu_memory_utilization',
			'num_cpu_blocks',
			'num_gpu_blocks',
			'num_gpu_blocks_override',
			'sliding_window',
			'swap_space_bytes',
		],
	},
	running: {
		name: 'vllm:num_requests_running',
		type: 'gauge',
		help: 'Number of requests currently running on GPU.',
		labels: modelLabels,
	},
	waiting: {
		name: 'vllm:num_requests_waiting',
		type: 'gauge',
		help: 'Number of requests waiting to be processed.',
		labels: modelLabels,
	},
	swapped: {
		name: 'vllm:num_requests_swapped',
		type: 'gauge',
		help: 'Number of requests swapped to CPU.',
		labels: modelLabels,
	},
	gpuUsage: {
		name: 'vllm:gpu_cache_usage_perc',
		type: 'gauge',
		help: 'GPU KV-cache usage. 1 means 100 percent usage.',
		labels: modelLabels,
	},
	cpuUsage: {
		name: 'vllm:cpu_cache_usage_perc',
		type: 'gauge',
		help: 'CPU KV-cache usage. 1 means 100 percent usage.',
		labels: modelLabels,
	},
	cpuHitRate: {
		name: 'vllm:cpu_prefix_cache_hit_rate',
		type: 'gauge',
		help: 'CPU prefix cache block hit rate.',
		labels: modelLabels,
	},
	gpuHitRate: {
		name: 'vllm:gpu_prefix_cache_hit_rate',
		type: 'gauge',
		help: 'GPU prefix cache block hit rate.',
		labels: modelLabels,
	},
	preemptions: {
		name: 'vllm:num_preemptions_total',
		type: 'counter',
		help: 'Cumulative number of preemption from the engine.',
		labels: modelLabels,
		zero: true,
	},
	promptTokens: {
		name: 'vllm:prompt_tokens_total',
		type: 'counter',
		help: 'Number of prefill tokens processed.',
		labels: modelLabels,
		zero: true,
	},
	generationTokens: {
		name: 'vllm:generation_tokens_total',
		type: 'counter',
		help: 'Number of generation tokens processed.',
		labels: modelLabels,
		zero: true,
	},
	ttft: {
		name: 'vllm:time_to_first_token_seconds',
		type: 'histogram',
		help: 'Histogram of time to first token in seconds.',
		labels: modelLabels,
		buckets: v0TtftBuckets,
	},
	tpot: {
		name: 'vllm:time_per_output_token_seconds',
		type: 'histogram',
		help: 'Histogram of time per output token in seconds.',
		labels: modelLabels,
		buckets: v0TpotBuckets,
	},
	e2e: {
		name: 'vllm:e2e_request_latency_seconds',
		type: 'histogram',
		help: 'Histogram of end to end request latency in seconds.',
		labels: modelLabels,
		buckets: v0E2eBuckets,
	},
	requestPrompt: {
		name: 'vllm:request_prompt_tokens',
		type: 'histogram',
		help: 'Number of prefill tokens processed.',
		labels: modelLabels,
		buckets: 'tokens',
	},
	requestGeneration: {
		name: 'vllm:request_generation_tokens',
		type: 'histogram',
		help: 'Number of generation tokens processed.',
		labels: modelLabels,
		buckets: 'tokens',
	},
	paramsN: {
		name: 'vllm:request_params_n',
		type: 'histogram',
		help: 'Histogram of the n request parameter.',
		labels: modelLabels,
		buckets: requestParamsNBuckets,
	},
	success: {
		name: 'vllm:request_success_total',
		type: 'counter',
		help: 'Count of successfully processed requests.',
		labels: [...modelLabels, 'finished_reason'],
	},
	avgPrompt: {
		name: 'vllm:avg_prompt_throughput_toks_per_s',
		type: 'gauge',
		help: 'Average prefill throughput in tokens/s.',
		labels: modelLabels,
	},
	avgGeneration: {
		name: 'vllm:avg_generation_throughput_toks_per_s',
		type: 'gauge',
		help: 'Average generation throughput in tokens/s.',
		labels: modelLabels,
	},
} as const satisfies FamilyTable;
