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
import {deprecatedNames} from '../catalog/deprecated-names.js';
import {
	customPromql,
	type Grouped,
	signalPanels,
} from '../catalog/signal-promql.js';
import {signalCatalog, type SignalCatalog} from '../catalog/signals.js';
import type {KeyedPanelId, SignalPanelId} from '../catalog/signal-types.js';
import {
	v0Markers,
	v1Markers,
	vllmLabel,
	vllmMetric,
} from '../catalog/vllm-metrics.js';

export type {KeyedPanelId, SignalPanelId} from '../catalog/signal-types.js';

/** The label that keys each keyed panel's values. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- one entry per breakdown of the catalog
export const panelKey = Object.fromEntries(
	signalCatalog.flatMap(({key, kind}) =>
		kind.type === 'breakdown' ? [[key, kind.label]] : [],
	),
) as Readonly<Record<KeyedPanelId, string>>;

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

/** Panels of number signals, then of breakdowns, in catalog order (a signal's panels from `signalPanels`). */
function panelIdsOf(keyed: boolean): string[] {
	const context = {select: () => '', rateWindow: '', latencyWindow: ''};
	return signalCatalog.flatMap(signal =>
		(signal.kind.type === 'breakdown') === keyed
			? signalPanels(signal, signalCatalog, context).map(([id]) => id)
			: [],
	);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the ids `signalPanels` gives the catalog's number signals
export const signalPanelIds = panelIdsOf(false) as readonly SignalPanelId[];

export const instancePanelIds: readonly InstancePanelId[] = [
	'servers',
	'cacheConfig',
	'tokenTotals',
	'families',
	'startedAt',
	'sleepState',
	'lora',
];

// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the ids `signalPanels` gives the catalog's breakdowns
export const keyedPanelIds = panelIdsOf(true) as readonly KeyedPanelId[];

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
export const engineLabel = vllmLabel.engine;
export const modelLabel = vllmLabel.model;

/** Metric names hold only letters, digits, `_` and `:`, none of them special in a regular expression. */
function anyOf(names: readonly string[]): string {
	return names.join('|');
}

export function panelQueries(
	options: PanelOptions,
	catalog: SignalCatalog = signalCatalog,
): Record<PanelId, string> {
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
	const context = {select: s, rateWindow: r, latencyWindow: l};
	const signals = Object.fromEntries(
		catalog.flatMap(signal =>
			signalPanels(signal, catalog, context).map(
				([id, expressions]) => [id, sliced(expressions)] as const,
			),
		),
	);
	const custom = (derivation: 'lora' | 'sleepState') => {
		const signal = catalog.find(
			({kind}) => kind.type === 'custom' && kind.derivation === derivation,
		);
		if (signal?.kind.type !== 'custom') {
			throw new Error(`the signal catalog has no ${derivation} signal`);
		}

		return customPromql(signal.kind.name, derivation, by, s);
	};

	return {
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- one query per panel of the catalog
		...(signals as Record<SignalPanelId | KeyedPanelId, string>),
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
		sleepState: custom('sleepState'),
		lora: custom('lora'),
	};
}
