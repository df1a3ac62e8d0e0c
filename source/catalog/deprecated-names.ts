/**
Metric names vLLM has deprecated, hidden or dropped (vLLM's `docs/design/metrics.md`, "Deprecated metrics", and the
KV offloading connector's metrics).
A server that still exposes one works today, but dashboards and alert rules built on it break on the next upgrade.
Keys are base names: no `_total`, `_created`, `_bucket`, `_sum` or `_count`.
*/
import {vllmPrefixes} from './server-dialects.js';

export const deprecatedNames: ReadonlyMap<string, string> = new Map([
	['vllm:gpu_cache_usage_perc', 'vllm:kv_cache_usage_perc'],
	['vllm:gpu_prefix_cache_queries', 'vllm:prefix_cache_queries_total'],
	['vllm:gpu_prefix_cache_hits', 'vllm:prefix_cache_hits_total'],
	[
		'vllm:gpu_prefix_cache_hit_rate',
		'rate of vllm:prefix_cache_hits_total / vllm:prefix_cache_queries_total',
	],
	['vllm:cpu_prefix_cache_hit_rate', 'nothing (V1 has no CPU swap cache)'],
	[
		'vllm:num_requests_swapped',
		'vllm:num_preemptions_total (V1 does not swap)',
	],
	['vllm:cpu_cache_usage_perc', 'nothing (V1 has no CPU swap cache)'],
	['vllm:time_in_queue_requests', 'vllm:request_queue_time_seconds'],
	[
		'vllm:model_forward_time_milliseconds',
		'vllm:request_prefill_time_seconds / vllm:request_decode_time_seconds',
	],
	[
		'vllm:model_execute_time_milliseconds',
		'vllm:request_inference_time_seconds',
	],
	['vllm:time_per_output_token_seconds', 'vllm:inter_token_latency_seconds'],
	['vllm:avg_prompt_throughput_toks_per_s', 'rate of vllm:prompt_tokens_total'],
	[
		'vllm:avg_generation_throughput_toks_per_s',
		'rate of vllm:generation_tokens_total',
	],
	['vllm:tokens', 'vllm:prompt_tokens_total + vllm:generation_tokens_total'],
	['vllm:request_params_best_of', 'nothing (best_of was removed)'],
	[
		'vllm:spec_decode_draft_acceptance_rate',
		'rate of vllm:spec_decode_num_accepted_tokens_total / …_num_draft_tokens_total',
	],
	[
		'vllm:spec_decode_efficiency',
		'vllm:spec_decode_num_accepted_tokens_per_pos_total',
	],
	[
		'vllm:spec_decode_num_emitted_tokens',
		'vllm:spec_decode_num_accepted_tokens_total',
	],
	['vllm:prompt_tokens_recomputed', 'vllm:prompt_tokens_by_source_total'],
	[
		'vllm:kv_offload_total_bytes',
		'vllm:kv_offload_load_bytes / vllm:kv_offload_store_bytes',
	],
	[
		'vllm:kv_offload_total_time',
		'vllm:kv_offload_load_time / vllm:kv_offload_store_time',
	],
	[
		'vllm:kv_offload_size',
		'vllm:kv_offload_load_size / vllm:kv_offload_store_size',
	],
]);

const suffixes = ['_total', '_created', '_bucket', '_sum', '_count'] as const;

/** The base name of a family or sample, so `x_total`, `x_created` and `x` all match the entry for `x`. */
export function baseMetricName(name: string): string {
	for (const suffix of suffixes) {
		if (name.endsWith(suffix)) {
			const base = name.slice(0, -suffix.length);
			// `vllm:iteration_tokens_total` is a histogram, so only strip when the base is a known name.
			if (deprecatedNames.has(base) || suffix !== '_total') {
				return base;
			}
		}
	}

	return name;
}

/** Deprecated base names present among the families, sorted, each once. */
export function findDeprecatedNames(familyNames: Iterable<string>): string[] {
	const found = new Set<string>();
	for (const name of familyNames) {
		const base = baseMetricName(name);
		if (deprecatedNames.has(base)) {
			found.add(base);
		}
	}

	return [...found].toSorted();
}

/** A page without `vllm:` families means the server runs with `--disable-log-stats` (or is not vLLM). */
export function hasVllmFamilies(familyNames: Iterable<string>): boolean {
	for (const name of familyNames) {
		if (vllmPrefixes.some(prefix => name.startsWith(prefix))) {
			return true;
		}
	}

	return false;
}
