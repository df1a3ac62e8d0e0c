/**
Causes that change which hint is right: the same symptom (no scrape, a throughput drop, preemptions) calls for a
different fix depending on what else is true. Each returns a hint when its cause applies, else null, and the hint
functions fall back to their usual advice.
*/
import type {Signals} from '../derive/snapshot.js';
import {formatPercent} from './alert-text.js';
import type {RuleContext} from './rule-context.js';

/** Below this KV-cache usage, preemptions are not about the pool being full. */
const kvFullEnough = 0.8;

/** A scrape failure whose kind the generic advice gets wrong: a name that does not resolve, or a page that is not metrics. */
export function scrapeFailureCause(error: string): string | null {
	const lower = error.toLowerCase();
	if (/enotfound|eai_again|getaddrinfo|does not resolve/.test(lower)) {
		return 'the host name does not resolve: check its spelling, or use the IP address';
	}

	if (/html|not a \/metrics|not prometheus/.test(lower)) {
		return 'that URL serves something else than Prometheus metrics: give the vLLM API base, e.g. http://host:8000';
	}

	return null;
}

/** Throughput fell because the engine is dead, not because of what clients ask. */
export function throughputCause(context: RuleContext): string | null {
	return context.input.health === 'unhealthy'
		? 'the engine is dead (/health answers 5xx): read the server log (often CUDA out of memory) and restart vllm serve'
		: null;
}

/** Preemptions while the KV cache is far from full: the pool is not what to grow. */
export function preemptionCause(signals: Signals): string | null {
	const kv = signals.kv_cache_usage;
	if (kv === null || kv >= kvFullEnough) {
		return null;
	}

	return `KV cache only ${formatPercent(kv)} used: preemptions come from bursts of long requests claiming blocks at once; lower --max-num-seqs or --max-num-batched-tokens rather than growing the cache`;
}
