/**
What each signal means in PromQL, read off its kind and wire names, so `--prometheus` and exported rules ask
Prometheus the very question derive answers from a page. An expression is given per grouping (`instance`, or
`instance, engine`), and a signal may have several: newest names first, joined with `or` by the caller, which keeps
the first answer per group.

Metric names are written the legacy way (`vllm:x{...}`), valid in Prometheus 2.x and 3.x alike; quantiles read classic
`_bucket` series or, when 3.x converted them to native histograms (`convert_classic_histograms_to_nhcb`), the native
series.
*/
import type {SignalDef, SignalKind, Stat} from './signal-def.js';
import {quantileStats} from './signal-types.js';
import {vllmLabel} from './vllm-metrics.js';

/** An expression for one grouping, e.g. `instance, engine`. */
export type Grouped = (grouping: string) => string;

export type PromqlContext = {
	/** A metric selector with the user's label matchers: `vllm:x{job="vllm"}`. */
	readonly select: (metric: string) => string;
	/** Window of `rate()` for throughputs, e.g. `1m`. */
	readonly rateWindow: string;
	/** Window of ratios and quantiles, e.g. `5m`. */
	readonly latencyWindow: string;
};

const quantileOf: Readonly<Record<Stat, number>> = {
	p50: 0.5,
	p90: 0.9,
	p95: 0.95,
	p99: 0.99,
	mean: Number.NaN,
};

/** The panels of one signal: its key for a number or breakdown, `<key>.<stat>` for each quantile. */
export function signalPanels(
	signal: SignalDef,
	catalog: readonly SignalDef[],
	context: PromqlContext,
): ReadonlyArray<readonly [string, readonly Grouped[]]> {
	const {kind, key} = signal;
	switch (kind.type) {
		case 'quantiles': {
			return quantileStats.map(stat => [
				`${key}.${stat}`,
				quantileExpressions(kind.names, stat, context),
			]);
		}

		case 'custom': {
			// Read from label sets per instance, not per slice: see `customPromql`.
			return [];
		}

		case 'gauge':
		case 'rate':
		case 'ratio':
		case 'breakdown':
		case 'total':
		case 'part':
		case 'volume': {
			return [[key, expressionsOf(kind, signal, catalog, context)]];
		}
	}
}

function ratio(top: string, bottom: string, context: PromqlContext): Grouped {
	const {select: s, latencyWindow: l} = context;
	return g =>
		`sum by (${g}) (rate(${s(top)}[${l}])) / sum by (${g}) (rate(${s(bottom)}[${l}]))`;
}

function expressionsOf(
	kind: Exclude<SignalKind, {readonly type: 'quantiles' | 'custom'}>,
	signal: SignalDef,
	catalog: readonly SignalDef[],
	context: PromqlContext,
): readonly Grouped[] {
	const {select: s, rateWindow: r} = context;
	switch (kind.type) {
		case 'gauge': {
			const by = signal.aggregate === 'mean' ? 'avg' : 'sum';
			return kind.names.map(
				(name): Grouped =>
					g =>
						`${by} by (${g}) (${s(name)})`,
			);
		}

		case 'rate': {
			const {counter, gaugeBefore} = kind;
			const rate: Grouped = g => `sum by (${g}) (rate(${s(counter)}[${r}]))`;
			// The old gauge only where there is no such counter, as on a page.
			return gaugeBefore === undefined
				? [rate]
				: [
						rate,
						g =>
							`sum by (${g}) (${s(gaugeBefore)}) unless on (${g}) count by (${g}) (${s(counter)})`,
					];
		}

		case 'ratio': {
			const {gaugeBefore} = kind;
			const ratios = kind.pairs.map(pair =>
				ratio(pair.numerator, pair.denominator, context),
			);
			const plusOne = kind.plusOne === true;
			return [
				...ratios.map(
					(make): Grouped =>
						g =>
							plusOne ? `1 + ${make(g)}` : make(g),
				),
				// The V0 gauge reads -1 while the feature is off.
				...(gaugeBefore === undefined
					? []
					: [(g: string) => `avg by (${g}) (${s(gaugeBefore)} >= 0)`]),
			];
		}

		case 'breakdown': {
			const {name, label} = kind;
			if (kind.of === 'ratio') {
				const {latencyWindow: l} = context;
				return [
					g =>
						`sum by (${g}, ${label}) (rate(${s(name)}[${l}])) / on (${g}) group_left () sum by (${g}) (rate(${s(kind.denominator)}[${l}]))`,
				];
			}

			const value = kind.of === 'gauge' ? s(name) : `rate(${s(name)}[${r}])`;
			return [g => `sum by (${g}, ${label}) (${value})`];
		}

		case 'total': {
			return [totalExpression(kind.of, catalog, context)];
		}

		case 'part': {
			return [partExpression(kind, catalog, context)];
		}

		case 'volume': {
			const {latencyWindow: l} = context;
			return kind.names.map(
				(name): Grouped =>
					g =>
						`sum by (${g}) (increase(${s(name)}[${l}]))`,
			);
		}
	}
}

/** A breakdown summed over its label: requests/s of every finish reason together. */
function totalExpression(
	of: string,
	catalog: readonly SignalDef[],
	context: PromqlContext,
): Grouped {
	const {select: s, rateWindow: r} = context;
	const breakdown = catalog.find(signal => signal.key === of)?.kind;
	if (breakdown?.type !== 'breakdown') {
		throw new Error(`the total of ${of}, which is no breakdown`);
	}

	const value =
		breakdown.of === 'gauge'
			? s(breakdown.name)
			: `rate(${s(breakdown.name)}[${r}])`;
	return g => `sum by (${g}) (${value})`;
}

/** One label value of a rate breakdown: its selector gains the matcher `label="value"`. */
function partExpression(
	kind: Extract<SignalKind, {readonly type: 'part'}>,
	catalog: readonly SignalDef[],
	context: PromqlContext,
): Grouped {
	const breakdown = catalog.find(signal => signal.key === kind.of)?.kind;
	if (breakdown?.type !== 'breakdown' || breakdown.of !== 'rate') {
		throw new Error(`a part of ${kind.of}, which is no rate breakdown`);
	}

	const selector = withMatcher(
		context.select(breakdown.name),
		`${breakdown.label}="${kind.value}"`,
	);
	return g => `sum by (${g}) (rate(${selector}[${context.rateWindow}]))`;
}

/** `m{a="b"}` with one more matcher: `m{a="b",c="d"}`; `m` or `m{}` becomes `m{c="d"}`. */
export function withMatcher(selector: string, matcher: string): string {
	if (selector.endsWith('{}')) {
		return `${selector.slice(0, -1)}${matcher}}`;
	}

	return selector.endsWith('}')
		? `${selector.slice(0, -1)},${matcher}}`
		: `${selector}{${matcher}}`;
}

/**
Quantiles from classic buckets, else the native histogram 3.x makes of them. The mean is classic `_sum` over `_count`
only: the native form needs `histogram_sum`, which Prometheus before 2.40 and other PromQL engines refuse, and one
refused part fails the whole query.
*/
function quantileExpressions(
	names: readonly string[],
	stat: Stat,
	context: PromqlContext,
): readonly Grouped[] {
	const {select: s, latencyWindow: l} = context;
	if (stat === 'mean') {
		return names.map(name => ratio(`${name}_sum`, `${name}_count`, context));
	}

	const q = quantileOf[stat];
	return names.flatMap((name): Grouped[] => [
		g =>
			`histogram_quantile(${q}, sum by (${g}, le) (rate(${s(`${name}_bucket`)}[${l}])))`,
		g => `histogram_quantile(${q}, sum by (${g}) (rate(${s(name)}[${l}])))`,
	]);
}

/**
The custom signals' queries, one per instance: every engine's sleep levels with its engine and model (so each slice's
deepest sleep is read from one answer), and the live LoRA adapter set, the series with the newest timestamp as value
(stale sets stay on the page).
*/
export function customPromql(
	name: string,
	derivation: 'lora' | 'sleepState',
	by: string,
	select: (metric: string) => string,
): string {
	return derivation === 'sleepState'
		? `max by (${by}, ${vllmLabel.engine}, ${vllmLabel.model}, sleep_state) (${select(name)})`
		: `topk by (${by}) (1, max by (${by}, max_lora, running_lora_adapters, waiting_lora_adapters) (${select(name)}))`;
}
