/**
One PromQL query per panel for every instance at once: the cost of a refresh grows with the number of panels, not
the number of servers. Each signal panel answers three slices in the same query, joined with `or` (their label sets
differ, so none hides another): the instance total `by (instance)`, each data-parallel engine `by (instance, engine)`
and each model `by (instance, model_name)`, the last two only for instances with more than one. Newer vLLM names come before older ones within a slice, so a mixed fleet
fills the same columns.

The queries hold for Prometheus 2.x and 3.x alike: metric names are written the legacy way (`vllm:x{...}`, valid in
both, where 3.x's quoted `{"vllm:x"}` form would not parse in 2.x), no selector matches a `le` value (3.x normalises
them to floats when it scrapes), quantiles read classic `_bucket` series or, when 3.x converted them to native
histograms with custom buckets (`convert_classic_histograms_to_nhcb`), the native series.
*/
import {deprecatedNames} from '../alerts/deprecated-names.js';
import {
	type LatencyKind,
	v0Markers,
	v1Markers,
	vllmMetric,
} from '../derive/vllm-metric-names.js';

const latencyKinds: readonly LatencyKind[] = [
	'ttft',
	'itl',
	'e2e',
	'queue',
	'prefill',
	'decode',
];

type LatencyStat = 'P50' | 'P95' | 'P99' | 'Mean';

const latencyStats: readonly LatencyStat[] = ['P50', 'P95', 'P99', 'Mean'];

/** The panels whose answers are per-slice values. */
export type SignalPanelId =
	| 'running'
	| 'waiting'
	| 'swapped'
	| 'kv'
	| 'cpuKv'
	| 'promptRate'
	| 'generationRate'
	| 'requestRate'
	| 'preemptionRate'
	| 'prefixHitRate'
	| 'specAcceptanceRate'
	| 'specAcceptedPerDraft'
	| `${LatencyKind}${LatencyStat}`;

/** The panels whose answers are per-slice values by one more label (`reason`, `finished_reason`). */
export type KeyedPanelId = 'waitingByReason' | 'requestRateByReason';

/** The label that keys each keyed panel's values. */
export const panelKey: Readonly<Record<KeyedPanelId, string>> = {
	waitingByReason: 'reason',
	requestRateByReason: 'finished_reason',
};

/**
The panels read per instance: discovery (engines and models), the cache configuration labels, the per-request token
totals capacity falls back on, which marker families exist (the engine generation), the start time, and the label
sets the sleep state and the LoRA adapters are read from.
*/
export type InstancePanelId =
	| 'servers'
	| 'cacheConfig'
	| 'tokenTotals'
	| 'families'
	| 'startedAt'
	| 'sleepState'
	| 'lora';

export type PanelId = SignalPanelId | KeyedPanelId | InstancePanelId;

export const signalPanelIds: readonly SignalPanelId[] = [
	'running',
	'waiting',
	'swapped',
	'kv',
	'cpuKv',
	'promptRate',
	'generationRate',
	'requestRate',
	'preemptionRate',
	'prefixHitRate',
	'specAcceptanceRate',
	'specAcceptedPerDraft',
	...latencyKinds.flatMap(kind =>
		latencyStats.map((stat): SignalPanelId => `${kind}${stat}`),
	),
];

export const instancePanelIds: readonly InstancePanelId[] = [
	'servers',
	'cacheConfig',
	'tokenTotals',
	'families',
	'startedAt',
	'sleepState',
	'lora',
];

export const keyedPanelIds: readonly KeyedPanelId[] = [
	'waitingByReason',
	'requestRateByReason',
];

export const panelIds: readonly PanelId[] = [
	...signalPanelIds,
	...keyedPanelIds,
	...instancePanelIds,
];

export type PanelOptions = {
	/** A label matcher such as `{job="vllm"}`, or empty. */
	readonly match: string;
	/** The label that tells servers apart. */
	readonly by: string;
	/** Window of `rate()` for throughputs, e.g. `1m`. */
	readonly rateWindow: string;
	/** Window of the latency quantiles, e.g. `5m`. */
	readonly latencyWindow: string;
	/**
	Answer the engine and model slices too; off for the backfill, which draws instance totals only.

	@default true
	*/
	readonly slices?: boolean;
};

/** `{job="vllm"}` -> `job="vllm"`: the matchers to put inside each metric's braces. */
export function matcherBody(match: string): string {
	const trimmed = match.trim();
	return trimmed.startsWith('{') && trimmed.endsWith('}')
		? trimmed.slice(1, -1).trim()
		: trimmed;
}

/**
A label matcher set Prometheus will accept, or a one-line reason; checked before any query is sent. A label name may
be quoted (`"k8s.pod"="x"`), which only Prometheus 3.x parses.
*/
export function checkMatch(match: string): string | null {
	const body = matcherBody(match);
	if (body === '') {
		return null;
	}

	const matcher =
		/^\s*(?:[A-Z_a-z]\w*|"(?:[^"\\]|\\.)+")\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*$/v;
	const parts = body.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/v);
	return parts.every(part => part.trim() === '' || matcher.test(part))
		? null
		: `invalid --match '${match}': give label matchers like '{job="vllm"}' or '{cluster="a",job=~"vllm.*"}'`;
}

/** The slice label an answer series carries besides the instance label, if any. */
export const engineLabel = 'engine';
export const modelLabel = 'model_name';

/** Metric names hold only letters, digits, `_` and `:`, none of them special in a regular expression. */
function anyOf(names: readonly string[]): string {
	return names.join('|');
}

type Grouped = (grouping: string) => string;

export function panelQueries(options: PanelOptions): Record<PanelId, string> {
	const body = matcherBody(options.match);
	const s = (metric: string) => `${metric}{${body}}`;
	/** A selector by name pattern: the one way to read several families in one query that 2.x and 3.x both parse. */
	const named = (pattern: string) =>
		`{__name__=~"${pattern}"${body === '' ? '' : `,${body}`}}`;
	const {by, rateWindow: r, latencyWindow: l} = options;
	const running = s(vllmMetric.running);
	/**
	The instance total, then the engine and model slices of the instances that have more than one engine or model
	(one running gauge series per engine and model): where there is one, its slice is the total, so it is not sent.
	*/
	const groupings: ReadonlyArray<{
		readonly grouping: string;
		readonly only?: string;
	}> =
		options.slices === false || by === engineLabel || by === modelLabel
			? [{grouping: by}]
			: [
					{grouping: by},
					{
						grouping: `${by}, ${engineLabel}`,
						only: `count by (${by}) (count by (${by}, ${engineLabel}) (${running})) > 1`,
					},
					{
						grouping: `${by}, ${modelLabel}`,
						only: `count by (${by}) (count by (${by}, ${modelLabel}) (${running})) > 1`,
					},
				];
	/** Every slice of the given expressions, in order within each slice (`or` keeps the first answer per slice). */
	const sliced = (expressions: readonly Grouped[]) =>
		groupings
			.flatMap(({grouping, only}) =>
				expressions.map(make =>
					only === undefined
						? make(grouping)
						: `(${make(grouping)}) and on (${by}) (${only})`,
				),
			)
			.join(' or ');
	const sumOf = (metric: string) =>
		sliced([g => `sum by (${g}) (${s(metric)})`]);
	const rateOf = (metric: string) =>
		sliced([g => `sum by (${g}) (rate(${s(metric)}[${r}]))`]);
	/** The counter's rate, else (only where there is no such counter, as on a page) the very old V0 throughput gauge. */
	const tokenRate = (counter: string, gauge: string) =>
		sliced([
			g => `sum by (${g}) (rate(${s(counter)}[${r}]))`,
			g =>
				`sum by (${g}) (${s(gauge)}) unless on (${g}) count by (${g}) (${s(counter)})`,
		]);
	const ratio =
		(top: string, bottom: string): Grouped =>
		g =>
			`sum by (${g}) (rate(${s(top)}[${l}])) / sum by (${g}) (rate(${s(bottom)}[${l}]))`;
	/** Classic buckets, else the native histogram 3.x makes of them with `convert_classic_histograms_to_nhcb`. */
	const quantile = (q: number, kind: LatencyKind) =>
		sliced(
			vllmMetric.latency[kind].flatMap((name): Grouped[] => [
				g =>
					`histogram_quantile(${q}, sum by (${g}, le) (rate(${s(`${name}_bucket`)}[${l}])))`,
				g => `histogram_quantile(${q}, sum by (${g}) (rate(${s(name)}[${l}])))`,
			]),
		);
	/**
	Classic `_sum` over `_count` only: the native form needs `histogram_sum`, which Prometheus before 2.40 and other
	PromQL engines refuse, and one refused part fails the whole query.
	*/
	const mean = (kind: LatencyKind) =>
		sliced(
			vllmMetric.latency[kind].map(name =>
				ratio(`${name}_sum`, `${name}_count`),
			),
		);
	const latency: Record<`${LatencyKind}${LatencyStat}`, string> = {
		ttftP50: quantile(0.5, 'ttft'),
		ttftP95: quantile(0.95, 'ttft'),
		ttftP99: quantile(0.99, 'ttft'),
		ttftMean: mean('ttft'),
		itlP50: quantile(0.5, 'itl'),
		itlP95: quantile(0.95, 'itl'),
		itlP99: quantile(0.99, 'itl'),
		itlMean: mean('itl'),
		e2eP50: quantile(0.5, 'e2e'),
		e2eP95: quantile(0.95, 'e2e'),
		e2eP99: quantile(0.99, 'e2e'),
		e2eMean: mean('e2e'),
		queueP50: quantile(0.5, 'queue'),
		queueP95: quantile(0.95, 'queue'),
		queueP99: quantile(0.99, 'queue'),
		queueMean: mean('queue'),
		prefillP50: quantile(0.5, 'prefill'),
		prefillP95: quantile(0.95, 'prefill'),
		prefillP99: quantile(0.99, 'prefill'),
		prefillMean: mean('prefill'),
		decodeP50: quantile(0.5, 'decode'),
		decodeP95: quantile(0.95, 'decode'),
		decodeP99: quantile(0.99, 'decode'),
		decodeMean: mean('decode'),
	};
	return {
		running: sumOf(vllmMetric.running),
		waiting: sumOf(vllmMetric.waiting),
		swapped: sumOf(vllmMetric.swapped),
		kv: sliced(
			vllmMetric.kvCacheUsage.map(
				(metric): Grouped =>
					g =>
						`avg by (${g}) (${s(metric)})`,
			),
		),
		cpuKv: sliced([g => `avg by (${g}) (${s(vllmMetric.cpuCacheUsage)})`]),
		promptRate: tokenRate(vllmMetric.promptTokens, vllmMetric.promptThroughput),
		generationRate: tokenRate(
			vllmMetric.generationTokens,
			vllmMetric.generationThroughput,
		),
		requestRate: rateOf(vllmMetric.requestSuccess),
		preemptionRate: rateOf(vllmMetric.preemptions),
		// Hits over queries in the window, newest names first; the V0 gauge reads -1 when prefix caching is off.
		prefixHitRate: sliced([
			...vllmMetric.prefixCacheCounters.map(pair =>
				ratio(pair.hits, pair.queries),
			),
			g => `avg by (${g}) (${s(vllmMetric.prefixCacheHitRate)} >= 0)`,
		]),
		// Accepted over drafted tokens in the window, else the V0 gauge (which reads -1 before any draft).
		specAcceptanceRate: sliced([
			ratio(vllmMetric.specAcceptedTokens, vllmMetric.specDraftTokens),
			g => `avg by (${g}) (${s(vllmMetric.specAcceptanceRate)} >= 0)`,
		]),
		// Accepted tokens per draft; the mean acceptance length is one more, added where the page path adds it.
		specAcceptedPerDraft: sliced([
			ratio(vllmMetric.specAcceptedTokens, vllmMetric.specDrafts),
		]),
		waitingByReason: sliced([
			g =>
				`sum by (${g}, ${panelKey.waitingByReason}) (${s(vllmMetric.waitingByReason)})`,
		]),
		requestRateByReason: sliced([
			g =>
				`sum by (${g}, ${panelKey.requestRateByReason}) (rate(${s(vllmMetric.requestSuccess)}[${r}]))`,
		]),
		...latency,
		// Discovery too: every instance that exposes vLLM's running gauge, with its engines and models.
		servers: `count by (${by}, ${engineLabel}, ${modelLabel}) (${running})`,
		cacheConfig: s(vllmMetric.cacheConfig),
		tokenTotals: `sum by (${by}, __name__) (${named(
			anyOf(
				[
					vllmMetric.promptTokensHistogram,
					vllmMetric.generationTokensHistogram,
				].flatMap(base => [`${base}_sum`, `${base}_count`]),
			),
		)})`,
		// Marker families tell the engine generation; deprecated names raise the same alert as on a page.
		families: `count by (${by}, __name__) (${named(
			anyOf([
				...v0Markers,
				...v1Markers,
				...[...deprecatedNames.keys()].map(
					name => `${name}(?:_total|_bucket|_sum|_count)?`,
				),
			]),
		)})`,
		// The process start, else the oldest `_created` series, as the page-reading path does.
		startedAt: `min by (${by}) (${s('process_start_time_seconds')} > 0) or min by (${by}) (${named('vllm:.+_created')} > 0)`,
		// Every engine's levels with its engine and model, so each slice's deepest sleep is read from one answer.
		sleepState: `max by (${by}, ${engineLabel}, ${modelLabel}, sleep_state) (${s(vllmMetric.sleepState)})`,
		// The live adapter set is the series with the newest timestamp as value; stale sets stay on the page.
		lora: `topk by (${by}) (1, max by (${by}, max_lora, running_lora_adapters, waiting_lora_adapters) (${s(vllmMetric.lora)}))`,
	};
}
