/**
How many requests the KV pool holds at the current request shape, and how much room is left. The ceiling assumes
every request holds its full prompt plus generation in the cache, which is the worst case the scheduler must survive.
*/
import type {Capacity, KvPoolSource, Signals} from './snapshot.js';

/** Counter increases over the latency window. */
export type CapacityWindow = {
	readonly promptTokens: number | null;
	readonly generationTokens: number | null;
	readonly finishedRequests: number | null;
	readonly seconds: number;
};

/** `_sum` and `_count` of a per-request token histogram. */
export type TokenHistogram = {
	readonly sum: number;
	readonly count: number;
};

export type CapacityInput = {
	readonly kvPoolTokens: number | null;
	/** @default 'stated' */
	readonly kvPoolSource?: KvPoolSource | null;
	/** Why the page's cache configuration gives no pool. */
	readonly kvPoolUnknown?: string | null;
	/** Fraction 0..1. */
	readonly kvCacheUsage: number | null;
	/** Counter increases over the window; null on the first scrape. */
	readonly window: CapacityWindow | null;
	/** `vllm:request_prompt_tokens` since start: the fallback when no request finished in the window. */
	readonly promptTokensHistogram: TokenHistogram | null;
	readonly generationTokensHistogram: TokenHistogram | null;
	/** Mean end-to-end latency over the window. */
	readonly e2eMeanSeconds: number | null;
	/** Data-parallel engines sharing the pool; `--max-num-seqs` applies to each of them. */
	readonly engineCount: number;
};

/** What capacity reads from the signals, the same on a page and from Prometheus. */
export function capacitySignals(
	signals: Signals,
): Pick<CapacityInput, 'kvCacheUsage' | 'e2eMeanSeconds'> {
	return {
		kvCacheUsage: signals.kv_cache_usage,
		e2eMeanSeconds: signals.e2e_seconds?.mean ?? null,
	};
}

/**
Share of the ceiling suggested for `--max-num-seqs` (per engine): 30 % of the pool stays free for
longer-than-average requests.
*/
export const maxNumSeqsShare = 0.7;

export function deriveCapacity(input: CapacityInput): Capacity {
	const {prompt, generation} = averageRequest(input);
	const perRequest =
		prompt !== null && generation !== null ? prompt + generation : null;
	const {pool, source, unknown} = trustedPool(input, prompt);
	const ceiling =
		pool !== null && perRequest !== null && perRequest > 0
			? pool / perRequest
			: null;
	const headroomTokens =
		pool !== null && input.kvCacheUsage !== null
			? Math.max(0, Math.floor(pool * (1 - Math.min(1, input.kvCacheUsage))))
			: null;
	const {window} = input;
	const requestsPerSecond =
		window !== null && window.finishedRequests !== null && window.seconds > 0
			? window.finishedRequests / window.seconds
			: null;
	return {
		kv_pool_tokens: pool,
		kv_pool_source: source,
		kv_pool_unknown: unknown,
		avg_prompt_tokens: prompt,
		avg_generation_tokens: generation,
		avg_tokens_per_request: perRequest,
		concurrency_ceiling: ceiling === null ? null : Math.floor(ceiling),
		suggested_max_num_seqs:
			ceiling === null
				? null
				: Math.max(
						1,
						Math.floor(
							(ceiling / Math.max(1, input.engineCount)) * maxNumSeqsShare,
						),
					),
		headroom_tokens: headroomTokens,
		headroom_requests:
			headroomTokens !== null && perRequest !== null && perRequest > 0
				? Math.floor(headroomTokens / perRequest)
				: null,
		littles_law_concurrency:
			requestsPerSecond !== null && input.e2eMeanSeconds !== null
				? requestsPerSecond * input.e2eMeanSeconds
				: null,
	};
}

/**
The pool a ceiling may be built on. A computed pool smaller than one average prompt cannot be the token pool (a
compressed or latent cache, or a hybrid model the page does not mark): rather no figure than a wrong suggestion.
*/
function trustedPool(
	input: CapacityInput,
	prompt: number | null,
): {
	pool: number | null;
	source: KvPoolSource | null;
	unknown: string | null;
} {
	const pool = input.kvPoolTokens;
	const source = pool === null ? null : (input.kvPoolSource ?? 'stated');
	if (
		source === 'computed' &&
		pool !== null &&
		prompt !== null &&
		prompt > pool
	) {
		return {
			pool: null,
			source: null,
			unknown: `KV pool unknown: block_size x num_gpu_blocks (${Math.round(pool)} tokens) is smaller than one average prompt (${Math.round(prompt)} tokens), as with compressed or hybrid caches, and the server states no kv_cache_size_tokens`,
		};
	}

	return {
		pool,
		source,
		unknown: pool === null ? (input.kvPoolUnknown ?? null) : null,
	};
}

/**
Average prompt and generation tokens per finished request: token counter increases over finished requests in the
window; when none finished in the window (or on the first scrape), the per-request token histograms since start.
*/
function averageRequest(input: CapacityInput): {
	prompt: number | null;
	generation: number | null;
} {
	const {window} = input;
	if (
		window !== null &&
		window.finishedRequests !== null &&
		window.finishedRequests > 0 &&
		window.promptTokens !== null &&
		window.generationTokens !== null
	) {
		return {
			prompt: window.promptTokens / window.finishedRequests,
			generation: window.generationTokens / window.finishedRequests,
		};
	}

	return {
		prompt: histogramMean(input.promptTokensHistogram),
		generation: histogramMean(input.generationTokensHistogram),
	};
}

function histogramMean(histogram: TokenHistogram | null): number | null {
	return histogram !== null && histogram.count > 0
		? histogram.sum / histogram.count
		: null;
}
