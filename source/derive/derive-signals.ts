/**
The signals of one slice of a page (everything, one engine or one model), each read as its catalog entry says: the
newest metric name present wins, an older name is used only when the newer one is absent. Rates come from the
previous scrape; ratios and latency quantiles from the window.
*/
import {signalCatalog, type SignalCatalog} from '../catalog/signals.js';
import type {CustomDerivation, SignalKind} from '../catalog/signal-def.js';
import type {Signals} from '../catalog/signal-types.js';
import type {Labels} from '../parse/page.js';
import type {Lora, Quantiles, SleepState} from './snapshot.js';
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
	catalog: SignalCatalog = signalCatalog,
): Signals {
	const values: Record<string, unknown> = {};
	for (const {key, kind, aggregate} of catalog) {
		if (kind.type !== 'total' && kind.type !== 'part') {
			values[key] = valueOf(scope, spans, options, kind, aggregate);
		}
	}

	// In catalog order, which is the order of the `--json` fields; totals add up a breakdown read above.
	const signals: Record<string, unknown> = {};
	for (const {key, kind} of catalog) {
		signals[key] =
			kind.type === 'total'
				? totalOf(values[kind.of])
				: kind.type === 'part'
					? partOf(values[kind.of], kind.value)
					: values[key];
	}

	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- every key of the catalog, each valued by its kind
	return signals as Signals;
}

function valueOf(
	scope: Scope,
	spans: SignalSpans,
	options: SignalOptions,
	kind: Exclude<SignalKind, {readonly type: 'total' | 'part'}>,
	aggregate: string,
): unknown {
	switch (kind.type) {
		case 'gauge': {
			const name = kind.names.find(candidate => hasSamples(scope, candidate));
			if (name === undefined) {
				return null;
			}

			return aggregate === 'mean'
				? gaugeMean(scope, name)
				: gaugeSum(scope, name);
		}

		case 'rate': {
			return tokenRate(scope, kind.counter, kind.gaugeBefore, spans.previous);
		}

		case 'ratio': {
			const ratio = ratioOf(scope, kind, spans.window);
			if (ratio !== null) {
				return kind.plusOne === true ? 1 + ratio : ratio;
			}

			return kind.stated === undefined
				? null
				: gaugeMean(scope, kind.stated, value => value >= 0);
		}

		case 'quantiles': {
			return latency(scope, kind.names, spans.window);
		}

		case 'breakdown': {
			if (kind.of === 'ratio') {
				return ratioBy(scope, kind, spans.window);
			}

			return kind.of === 'gauge'
				? gaugeSumBy(scope, kind.name, kind.label)
				: rateBy(scope, kind.name, kind.label, spans.previous);
		}

		case 'volume': {
			const name = kind.names.find(candidate =>
				hasCumulative(scope, candidate),
			);
			return name === undefined
				? null
				: increase(scope, name, spans.window ?? sinceStart);
		}

		case 'custom': {
			return customDerivations[kind.derivation](
				samplesIn(scope, kind.name),
				options,
			);
		}
	}
}

const customDerivations: Readonly<
	Record<
		CustomDerivation,
		(samples: readonly LabeledValue[], options: SignalOptions) => unknown
	>
> = {
	lora: (samples, options) => (options.withLora ? loraOf(samples) : null),
	sleepState: samples => sleepStateOf(samples),
};

function totalOf(breakdown: unknown): number | null {
	if (breakdown === null || typeof breakdown !== 'object') {
		return null;
	}

	let total = 0;
	for (const value of Object.values(breakdown)) {
		total += typeof value === 'number' ? value : 0;
	}

	return total;
}

function partOf(breakdown: unknown, value: string): number | null {
	if (breakdown === null || typeof breakdown !== 'object') {
		return null;
	}

	const part: unknown = Object.getOwnPropertyDescriptor(
		breakdown,
		value,
	)?.value;
	return typeof part === 'number' ? part : null;
}

/** Each label value's increase over the denominator's, in the window (since start on the first scrape). */
function ratioBy(
	scope: Scope,
	kind: Extract<SignalKind, {readonly of: 'ratio'}>,
	window: Span | null,
): Readonly<Record<string, number>> | null {
	const span = window ?? sinceStart;
	const tops = increaseBy(scope, kind.name, kind.label, span);
	const bottom = increase(scope, kind.denominator, span);
	if (tops === null || bottom === null || bottom <= 0) {
		return null;
	}

	return Object.fromEntries(
		Object.entries(tops)
			.toSorted(([a], [b]) => compareLabelValues(a, b))
			.map(([value, top]) => [value, top / bottom]),
	);
}

/** Positions sort as numbers ("2" before "10"). */
function compareLabelValues(a: string, b: string): number {
	const left = Number(a);
	const right = Number(b);
	return Number.isFinite(left) && Number.isFinite(right)
		? left - right
		: a.localeCompare(b);
}

/** The counter when the page has it (null on the first scrape), otherwise the gauge older servers had instead. */
function tokenRate(
	scope: Scope,
	counter: string,
	gauge: string | undefined,
	span: Span | null,
): number | null {
	if (gauge === undefined || hasCumulative(scope, counter)) {
		return rate(scope, counter, span);
	}

	return gaugeSum(scope, gauge);
}

function rateBy(
	scope: Scope,
	name: string,
	label: string,
	span: Span | null,
): Readonly<Record<string, number>> | null {
	if (!(span?.seconds && span.seconds > 0)) {
		return null;
	}

	const {seconds} = span;
	const increases = increaseBy(scope, name, label, span);
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

/** The first pair whose denominator the page has, else the old gauge (which reads -1 while the feature is off). */
function ratioOf(
	scope: Scope,
	kind: Extract<SignalKind, {readonly type: 'ratio'}>,
	window: Span | null,
): number | null {
	const pair = kind.pairs.find(candidate =>
		hasCumulative(scope, candidate.denominator),
	);
	if (pair !== undefined) {
		return counterRatio(scope, pair.numerator, pair.denominator, window);
	}

	return kind.gaugeBefore === undefined
		? null
		: gaugeMean(scope, kind.gaugeBefore, value => value >= 0);
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
p50/p90/p95/p99 from the bucket increases over the window (Prometheus `histogram_quantile` over `sum by (le)`), and the
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
		return {p50: null, p90: null, p95: null, p99: null, mean: null};
	}

	const buckets = bucketIncreases(scope, base, window);
	const sum = increase(scope, `${base}_sum`, window);
	const count = increase(scope, `${base}_count`, window);
	const [p50 = null, p90 = null, p95 = null, p99 = null] = histogramQuantiles(
		[0.5, 0.9, 0.95, 0.99],
		buckets,
	);
	const [b50 = null, b90 = null, b95 = null, b99 = null] =
		histogramQuantileBounds([0.5, 0.9, 0.95, 0.99], buckets);
	return {
		p50,
		p90,
		p95,
		p99,
		mean: sum !== null && count !== null && count > 0 ? sum / count : null,
		// Only where a bucket bound decides a quantile, so exact readings keep their four fields.
		...((b50 ?? b90 ?? b95 ?? b99)
			? {bounded: {p50: b50, p90: b90, p95: b95, p99: b99}}
			: {}),
	};
}
