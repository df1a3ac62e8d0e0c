/**
The symptom -> cause table: what to change in `vllm serve` for each alert, picked from what else the signals show.
Each hint is one line and names the flag.
*/
import type {Signals} from '../derive/snapshot.js';
import {formatPercent} from './alert-text.js';
import {
	preemptionCause,
	scrapeFailureCause,
	throughputCause,
} from './hint-cause.js';
import type {RuleContext} from './rule-context.js';

/**
`--enable-chunked-prefill` for V0 and an unknown engine; V1 always chunks prefills, and so does SGLang, so the flag
would change nothing there, and the hint names only what would.
*/
function chunkedPrefill(context: RuleContext, then: string): string {
	return context.input.generation === 'v1' || context.input.dialect === 'sglang'
		? then
		: `--enable-chunked-prefill, ${then}`;
}

/** Without a known `--max-num-seqs`, this many running requests counts as a crowded batch. */
const crowdedBatch = 32;

export function kvHint(context: RuleContext): string {
	const cache = context.input.cacheConfig;
	const steps = ['quantize the weights (AWQ)'];
	if (!(cache?.cache_dtype ?? '').startsWith('fp8')) {
		steps.push('--kv-cache-dtype fp8');
	}

	const utilization = cache?.gpu_memory_utilization ?? null;
	if (utilization === null) {
		steps.push('raise --gpu-memory-utilization');
	} else if (utilization < 0.95) {
		steps.push(
			`raise --gpu-memory-utilization (now ${Math.round(utilization * 100) / 100})`,
		);
	}

	steps.push('or add GPUs (--tensor-parallel-size)');
	return `KV cache is the limit: ${steps.join(', ')}`;
}

function share(
	part: number | null | undefined,
	whole: number | null | undefined,
): number | null {
	if (
		part === null ||
		part === undefined ||
		whole === null ||
		whole === undefined ||
		whole <= 0
	) {
		return null;
	}

	return part / whole;
}

export function ttftHint(context: RuleContext, signals: Signals): string {
	const ttft = signals.ttft_seconds?.p95;
	const queueShare = share(signals.queue_seconds?.p95, ttft);
	const prefillShare = share(signals.prefill_seconds?.p95, ttft);
	const waiting = signals.requests_waiting ?? 0;
	if (
		waiting > context.config.thresholds.queue_backlog.value ||
		(queueShare !== null && queueShare >= 0.5)
	) {
		return `requests queue before their prefill: ${chunkedPrefill(context, 'lower --max-model-len, or add replicas')}`;
	}

	if (prefillShare !== null && prefillShare >= 0.5) {
		return 'long prompts dominate TTFT: raise --max-num-batched-tokens so a prefill takes fewer steps';
	}

	if (context.input.cacheConfig?.enable_prefix_caching === false) {
		return 'multi-turn chats recompute the whole history: --enable-prefix-caching';
	}

	return 'for long prompts raise --max-num-batched-tokens; for multi-turn chats check the prefix cache hit rate';
}

/** Acceptance at a position below this share of the first position's means drafts there rarely pay off. */
const draftPayoff = 0.5;

/**
Where per-position acceptance falls off: the positions worth drafting (acceptance at least half the first position's),
when fewer than the server drafts. Null while every position pays off or nothing is known.
*/
export function specDecodeHint(signals: Signals): string | null {
	const byPosition = Object.entries(
		signals.spec_decode_acceptance_by_position ?? {},
	)
		.map(([position, rate]) => ({position: Number(position), rate}))
		.filter(({position}) => Number.isInteger(position))
		.toSorted((a, b) => a.position - b.position);
	const first = byPosition[0];
	if (first === undefined || first.rate <= 0) {
		return null;
	}

	const worth = byPosition.findIndex(
		({rate}) => rate < first.rate * draftPayoff,
	);
	if (worth === -1) {
		return null;
	}

	const stop = byPosition[worth]!;
	return `drafts stop paying off at position ${stop.position} (${formatPercent(stop.rate)} accepted, ${formatPercent(first.rate)} at position ${first.position}): set num_speculative_tokens to ${Math.max(1, worth)} in --speculative-config`;
}

export function itlHint(context: RuleContext, signals: Signals): string {
	const spec = specDecodeHint(signals);
	if (spec !== null) {
		return spec;
	}

	const running = signals.requests_running ?? 0;
	const crowded =
		context.maxRunning === null
			? running >= crowdedBatch
			: running >= context.maxRunning.value * 0.75;
	if (crowded) {
		const fp8 = (context.input.cacheConfig?.cache_dtype ?? '').startsWith(
			'fp8',
		);
		return `${running} requests share each decode step: lower --max-num-seqs${fp8 ? '' : ' or --kv-cache-dtype fp8'}`;
	}

	return 'decode is slow with a small batch: with tensor parallel check NVLink (nvidia-smi topo -m) and NCCL settings';
}

export function queueHint(
	context: RuleContext,
	signals: Signals,
	rising: boolean,
): string {
	const byReason = signals.requests_waiting_by_reason;
	const deferred = byReason?.['deferred'] ?? 0;
	const capacity = byReason?.['capacity'] ?? 0;
	if (deferred > capacity) {
		return 'most waiting requests are deferred (LoRA budget, KV transfer), not short of slots: check --max-loras and the KV connector';
	}

	if (rising) {
		return `the queue grows faster than it drains: add replicas, ${chunkedPrefill(context, 'lower --max-model-len')}`;
	}

	const kv = signals.kv_cache_usage;
	if (kv !== null && kv > context.config.thresholds.kv_cache_pressure.value) {
		return kvHint(context);
	}

	const running = signals.requests_running;
	if (
		context.maxRunning !== null &&
		running !== null &&
		running >= context.maxRunning.value
	) {
		return `all ${context.maxRunning.value} sequence slots are busy: raise --max-num-seqs while KV cache has room, else add replicas`;
	}

	return `requests wait for the scheduler: ${chunkedPrefill(context, 'lower --max-model-len, or add replicas')}`;
}

export function saturatedHint(signals: Signals): string {
	const kv = signals.kv_cache_usage;
	if (kv !== null && kv < 0.8) {
		return `every sequence slot is busy while KV cache has room (${formatPercent(kv)} used): raise --max-num-seqs`;
	}

	return 'slots and KV cache are both full: add GPUs or replicas; a higher --max-num-seqs would only preempt';
}

export function throughputHint(
	context: RuleContext,
	signals: Signals,
	promptMedian: number | null,
): string {
	const cause = throughputCause(context);
	if (cause !== null) {
		return cause;
	}

	const prompt = signals.prompt_tokens_per_s;
	if (
		prompt !== null &&
		promptMedian !== null &&
		prompt > 2 * promptMedian &&
		prompt > 0
	) {
		return `long prompts are stalling decode: ${chunkedPrefill(context, 'lower --max-num-batched-tokens so each step prefills less')}`;
	}

	if ((signals.preemptions_per_s ?? 0) > 0) {
		return `requests are being preempted; ${kvHint(context)}`;
	}

	return 'batch filled with small requests: check client max_tokens';
}

export function downHint(error: string): string {
	const cause = scrapeFailureCause(error);
	if (cause !== null) {
		return cause;
	}

	const lower = error.toLowerCase();
	const has = (...words: string[]) => words.some(word => lower.includes(word));
	if (has('refused')) {
		return 'nothing listens there: is vllm serve running? It opens its port only after the model has loaded';
	}

	if (has('timeout', 'timed out', 'time out')) {
		return 'no answer in time: check the host and network, or raise --timeout';
	}

	if (has('401', '403', 'unauthorized', 'forbidden')) {
		return 'the endpoint wants credentials: pass --api-key or --header';
	}

	if (has('404', 'not found')) {
		return 'no /metrics at that path: point at the vLLM API port, e.g. http://host:8000';
	}

	return 'check the URL and that vllm serve is running';
}

/** Preemptions: the KV pool when it is nearly full, otherwise what fills it in bursts. */
export function preemptionHint(context: RuleContext, signals: Signals): string {
	return preemptionCause(signals) ?? kvHint(context);
}
