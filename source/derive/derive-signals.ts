/**
The signals of one slice of a page (everything, one engine or one model), following the fallback chains of
vllm-metrics.md §4: the newest metric name present wins; an older name is used only when the newer one is absent.
Rates come from the previous scrape; ratios and latency quantiles from the window.
*/
import type {Labels} from '../parse/page.js';
import type {Lora, Quantiles, Signals, SleepState} from './snapshot.js';
import type {Span} from './derive-memory.js';
import {
	histogramQuantileBounds,
	histogramQuantiles,
} from './histogram-quantile.js';
import {
	bucketIncreases,
	gaugeMean,
	gaugeSum,
	gaugeSumBy,
	hasCumulative,
	hasSamples,
	increase,
	increaseBy,
	rate,
	samplesIn,
	sinceStart,
	type Scope,
} from './scope.js';
import {vllmMetric} from './vllm-metric-names.js';

export type SignalSpans = {
	/** Since the previous scrape: rates. */
	readonly previous: Span | null;
	/** Since the reading closest to `at - window`: ratios and quantiles. */
	readonly window: Span | null;
};

export type SignalOptions = {
	/** LoRA info carries no model or engine label, so only the total reports it. */
	readonly withLora: boolean;
};

export function deriveSignals(
	scope: Scope,
	spans: SignalSpans,
	options: SignalOptions,
): Signals {
	const requestsBy = reasonRates(scope, spans.previous);
	return {
		requests_running: gaugeSum(scope, vllmMetric.running),
		requests_waiting: gaugeSum(scope, vllmMetric.waiting),
		requests_waiting_by_reason: gaugeSumBy(
			scope,
			vllmMetric.waitingByReason,
			'reason',
		),
		requests_swapped: gaugeSum(scope, vllmMetric.swapped),
		kv_cache_usage: firstPresentMean(scope, vllmMetric.kvCacheUsage),
		cpu_kv_cache_usage: gaugeMean(scope, vllmMetric.cpuCacheUsage),
		prompt_tokens_per_s: tokenRate(
			scope,
			vllmMetric.promptTokens,
			vllmMetric.promptThroughput,
			spans.previous,
		),
		generation_tokens_per_s: tokenRate(
			scope,
			vllmMetric.generationTokens,
			vllmMetric.generationThroughput,
			spans.previous,
		),
		requests_per_s:
			requestsBy === null
				? null
				: Object.values(requestsBy).reduce((total, value) => total + value, 0),
		requests_per_s_by_reason: requestsBy,
		preemptions_per_s: rate(scope, vllmMetric.preemptions, spans.previous),
		prefix_cache_hit_rate: prefixCacheHitRate(scope, spans.window),
		spec_decode_acceptance_rate: specAcceptanceRate(scope, spans.window),
		spec_decode_mean_acceptance_length: specMeanAcceptanceLength(
			scope,
			spans.window,
		),
		lora: options.withLora ? loraOf(samplesIn(scope, vllmMetric.lora)) : null,
		sleep_state: sleepStateOf(samplesIn(scope, vllmMetric.sleepState)),
		ttft_seconds: latency(scope, vllmMetric.latency.ttft, spans.window),
		itl_seconds: latency(scope, vllmMetric.latency.itl, spans.window),
		e2e_seconds: latency(scope, vllmMetric.latency.e2e, spans.window),
		queue_seconds: latency(scope, vllmMetric.latency.queue, spans.window),
		prefill_seconds: latency(scope, vllmMetric.latency.prefill, spans.window),
		decode_seconds: latency(scope, vllmMetric.latency.decode, spans.window),
	};
}

function firstPresentMean(
	scope: Scope,
	names: readonly string[],
): number | null {
	const name = names.find(candidate => hasSamples(scope, candidate));
	return name === undefined ? null : gaugeMean(scope, name);
}

/** The counter when the page has it (null on the first scrape), otherwise the very old V0 throughput gauge. */
function tokenRate(
	scope: Scope,
	counter: string,
	gauge: string,
	span: Span | null,
): number | null {
	if (hasCumulative(scope, counter)) {
		return rate(scope, counter, span);
	}

	return gaugeSum(scope, gauge);
}

function reasonRates(
	scope: Scope,
	span: Span | null,
): Readonly<Record<string, number>> | null {
	if (!(span?.seconds && span.seconds > 0)) {
		return null;
	}

	const {seconds} = span;
	const increases = increaseBy(
		scope,
		vllmMetric.requestSuccess,
		'finished_reason',
		span,
	);
	if (increases === null) {
		return null;
	}

	return Object.fromEntries(
		Object.entries(increases).map(([reason, value]) => [
			reason,
			value / seconds,
		]),
	);
}

/**
A ratio of two counter increases over the window; on the first scrape, of everything counted since the server
started. Null when nothing was counted (0/0 says nothing).
*/
function counterRatio(
	scope: Scope,
	numerator: string,
	denominator: string,
	window: Span | null,
): number | null {
	const span = window ?? sinceStart;
	const top = increase(scope, numerator, span);
	const bottom = increase(scope, denominator, span);
	if (top === null || bottom === null || bottom <= 0) {
		return null;
	}

	return top / bottom;
}

function prefixCacheHitRate(scope: Scope, window: Span | null): number | null {
	const pair = vllmMetric.prefixCacheCounters.find(candidate =>
		hasCumulative(scope, candidate.queries),
	);
	if (pair !== undefined) {
		return counterRatio(scope, pair.hits, pair.queries, window);
	}

	return gaugeMean(scope, vllmMetric.prefixCacheHitRate, value => value >= 0);
}

function specAcceptanceRate(scope: Scope, window: Span | null): number | null {
	if (hasCumulative(scope, vllmMetric.specDraftTokens)) {
		return counterRatio(
			scope,
			vllmMetric.specAcceptedTokens,
			vllmMetric.specDraftTokens,
			window,
		);
	}

	return gaugeMean(scope, vllmMetric.specAcceptanceRate, value => value >= 0);
}

function specMeanAcceptanceLength(
	scope: Scope,
	window: Span | null,
): number | null {
	return meanAcceptanceLength(
		counterRatio(
			scope,
			vllmMetric.specAcceptedTokens,
			vllmMetric.specDrafts,
			window,
		),
	);
}

/** `1 + accepted / drafts`: every draft yields its accepted tokens plus the one token the target model adds. */
export function meanAcceptanceLength(
	acceptedPerDraft: number | null,
): number | null {
	return acceptedPerDraft === null ? null : 1 + acceptedPerDraft;
}

/** A gauge sample as a page or a Prometheus answer gives it: the helpers below serve both. */
export type LabeledValue = {readonly labels: Labels; readonly value: number};

/** Every change of the adapter set leaves a new series behind; the live one has the newest timestamp as its value. */
export function loraOf(samples: readonly LabeledValue[]): Lora | null {
	const latest = samples.reduce<LabeledValue | undefined>(
		(best, sample) =>
			best === undefined || sample.value > best.value ? sample : best,
		undefined,
	);
	if (latest === undefined) {
		return null;
	}

	const max = Number.parseInt(latest.labels['max_lora'] ?? '', 10);
	return {
		running: adapterList(latest.labels['running_lora_adapters']),
		waiting: adapterList(latest.labels['waiting_lora_adapters']),
		max: Number.isFinite(max) ? max : null,
	};
}

function adapterList(text: string | undefined): readonly string[] {
	return (text ?? '')
		.split(',')
		.map(name => name.trim())
		.filter(name => name !== '');
}

const sleepDepth: Readonly<Record<SleepState, number>> = {
	awake: 0,
	weights_offloaded: 1,
	discard_all: 2,
};

/** The deepest sleep of any engine in the slice: one sleeping engine is what an operator must see. */
export function sleepStateOf(
	samples: readonly LabeledValue[],
): SleepState | null {
	if (samples.length === 0) {
		return null;
	}

	const engines = new Map<string, Map<string, number>>();
	for (const sample of samples) {
		const engine = sample.labels['engine'] ?? '';
		const states = engines.get(engine) ?? new Map<string, number>();
		states.set(sample.labels['sleep_state'] ?? '', sample.value);
		engines.set(engine, states);
	}

	let deepest: SleepState | null = null;
	for (const states of engines.values()) {
		const state = engineSleepState(states);
		if (
			state !== null &&
			(deepest === null || sleepDepth[state] > sleepDepth[deepest])
		) {
			deepest = state;
		}
	}

	return deepest;
}

function engineSleepState(
	states: ReadonlyMap<string, number>,
): SleepState | null {
	if (states.get('discard_all') === 1) {
		return 'discard_all';
	}

	// `awake` = 0 without a level still means asleep; level 1 is the lighter, more common reading.
	if (states.get('weights_offloaded') === 1 || states.get('awake') === 0) {
		return 'weights_offloaded';
	}

	return states.get('awake') === 1 ? 'awake' : null;
}

/**
p50/p95/p99 from the bucket increases over the window (Prometheus `histogram_quantile` over `sum by (le)`), and the
mean from the `_sum` and `_count` increases. Null when the page has no such histogram; all fields null when nothing
was observed in the window (or on the first scrape).
*/
function latency(
	scope: Scope,
	names: readonly string[],
	window: Span | null,
): Quantiles | null {
	const base = names.find(
		candidate =>
			hasCumulative(scope, `${candidate}_count`) ||
			hasCumulative(scope, `${candidate}_bucket`),
	);
	if (base === undefined) {
		return null;
	}

	if (window === null) {
		return {p50: null, p95: null, p99: null, mean: null};
	}

	const buckets = bucketIncreases(scope, base, window);
	const sum = increase(scope, `${base}_sum`, window);
	const count = increase(scope, `${base}_count`, window);
	const [p50 = null, p95 = null, p99 = null] = histogramQuantiles(
		[0.5, 0.95, 0.99],
		buckets,
	);
	const [b50 = null, b95 = null, b99 = null] = histogramQuantileBounds(
		[0.5, 0.95, 0.99],
		buckets,
	);
	return {
		p50,
		p95,
		p99,
		mean: sum !== null && count !== null && count > 0 ? sum / count : null,
		// Only where a bucket bound decides a quantile, so exact readings keep their four fields.
		...((b50 ?? b95 ?? b99) ? {bounded: {p50: b50, p95: b95, p99: b99}} : {}),
	};
}
