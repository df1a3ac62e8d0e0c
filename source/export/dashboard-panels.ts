/**
The exported dashboard's panels as plain values: which signals each panel draws, their PromQL (from the catalog's
`signalPanels`, with the dashboard's variables as matchers) and the alert thresholds drawn on them (from the exported
rules). The four panels of a minimal vLLM dashboard come first; every other signal of the catalog follows with a
panel of its own, so a new signal shows up without an edit here.
*/
import type {AlertConfig} from '../alerts/alert-config.js';
import type {Severity} from '../alerts/alert.js';
import type {KeyUnit} from '../alerts/rules/rule-def.js';
import type {SignalDef, SignalUnit} from '../catalog/signal-def.js';
import {signalPanels} from '../catalog/signal-promql.js';
import {signalCatalog} from '../catalog/signals.js';
import {vllmLabel, vllmMetric} from '../catalog/vllm-metrics.js';
import {matcherBody} from '../prometheus/panel-queries.js';
import {exportRules, type ExportOptions} from './prometheus-rules.js';
import {settingUnit, thresholdInSignalUnit} from './threshold-values.js';

export type PanelQuery = {
	readonly refId: string;
	/** The signal and statistic it draws: `ttft_seconds.p95`. */
	readonly signal: string;
	readonly expr: string;
	readonly legend: string;
};

/** A rule's fire threshold in the signal's own unit, coloured as the view colours the rule's severity. */
export type PanelThreshold = {
	readonly refId: string;
	readonly value: number;
	readonly direction: 'above' | 'below';
	readonly severity: Severity;
	readonly rule: string;
};

export type PanelSpec = {
	readonly title: string;
	readonly description: string;
	readonly unit: string;
	readonly queries: readonly PanelQuery[];
	readonly thresholds: readonly PanelThreshold[];
	/** One of the four headline panels, drawn twice as wide. */
	readonly headline: boolean;
};

/** The dashboard's variables, as Grafana spells them in a query. */
export const dashboardVariables = {
	datasource: 'datasource',
	instance: 'instance',
	model: 'model',
} as const;

/** The query that lists the servers and models for the variables: a gauge every vLLM generation has. */
export const discoveryMetric = vllmMetric.running;

type Headline = {
	readonly title: string;
	readonly signals: readonly string[];
	readonly stats?: readonly string[];
};

const headlines: readonly Headline[] = [
	{
		title: 'Latency',
		signals: ['ttft_seconds', 'itl_seconds', 'e2e_seconds'],
		stats: ['p50', 'p95', 'p99'],
	},
	{
		title: 'Tokens/s',
		signals: ['prompt_tokens_per_s', 'generation_tokens_per_s'],
	},
	{title: 'Requests', signals: ['requests_running', 'requests_waiting']},
	{title: 'KV cache', signals: ['kv_cache_usage']},
];

const grafanaUnit: Readonly<Record<SignalUnit, string>> = {
	requests: 'short',
	fraction: 'percentunit',
	'tokens/s': 'short',
	'requests/s': 'reqps',
	'events/s': 'short',
	tokens: 'short',
	seconds: 's',
	adapters: 'short',
	state: 'short',
	'bytes/s': 'Bps',
	'seconds/s': 'short',
};

export type DashboardOptions = ExportOptions & {
	/** The data source the dashboard starts on; the variable's first choice otherwise. */
	readonly datasourceUid?: string;
};

type Context = {
	readonly by: string;
	readonly select: (metric: string) => string;
	readonly latencyWindow: string;
	readonly thresholds: ReadonlyMap<string, Omit<PanelThreshold, 'refId'>>;
};

function labelOf(signal: SignalDef, stat: string | undefined) {
	return stat === undefined ? signal.label : `${signal.label} ${stat}`;
}

function queriesOf(
	signal: SignalDef,
	stats: readonly string[] | undefined,
	context: Context,
	grouping: string,
	firstRef: number,
): PanelQuery[] {
	const promql = {
		select: context.select,
		rateWindow: '$__rate_interval',
		latencyWindow: context.latencyWindow,
	};
	const panels = signalPanels(signal, signalCatalog, promql).filter(([id]) => {
		const stat = id.split('.')[1];
		return (
			stat === undefined || (stats ?? ['p50', 'p95', 'p99']).includes(stat)
		);
	});
	const breakdown =
		signal.kind.type === 'breakdown' ? signal.kind.label : undefined;
	return panels.map(([id, expressions], index) => {
		const stat = id.split('.')[1];
		const slices = grouping.split(', ').slice(1);
		const legend = [
			`{{${context.by}}}`,
			...slices.map(label => `{{${label}}}`),
			labelOf(signal, stat),
			...(breakdown === undefined ? [] : [`{{${breakdown}}}`]),
		].join(' ');
		return {
			refId: String.fromCodePoint(65 + firstRef + index),
			signal: id,
			expr: expressions.map(make => make(grouping)).join(' or '),
			legend,
		};
	});
}

function panelOf(
	title: string,
	signals: readonly SignalDef[],
	stats: readonly string[] | undefined,
	context: Context,
	options: {readonly headline: boolean; readonly grouping?: string},
): PanelSpec {
	const queries: PanelQuery[] = [];
	for (const signal of signals) {
		queries.push(
			...queriesOf(
				signal,
				stats,
				context,
				options.grouping ?? context.by,
				queries.length,
			),
		);
	}

	return {
		title,
		description: signals.map(signal => signal.doc).join(' '),
		unit: grafanaUnit[signals[0]?.unit ?? 'requests'],
		queries,
		thresholds: queries.flatMap(query => {
			const threshold = context.thresholds.get(query.signal);
			return threshold === undefined
				? []
				: [{...threshold, refId: query.refId}];
		}),
		headline: options.headline,
	};
}

/** The signal units a rule setting's unit compares with directly. */
const sameAxis: Readonly<Record<KeyUnit, readonly SignalUnit[]>> = {
	ms: ['seconds'],
	seconds: ['seconds'],
	fraction: ['fraction'],
	count: ['requests', 'tokens', 'adapters'],
	per_second: ['events/s', 'requests/s', 'tokens/s'],
};

/** Each signal a threshold rule compares, with the threshold in the signal's unit (the latency rules count ms). */
function ruleThresholds(config: AlertConfig, options: ExportOptions) {
	const thresholds = new Map<string, Omit<PanelThreshold, 'refId'>>();
	for (const {rule, settings, reads} of exportRules(config, options).alerts) {
		const value = thresholdInSignalUnit(rule, settings);
		const unit = settingUnit(rule, 'value');
		const [compared] = reads;
		const signal = signalCatalog.find(
			entry => entry.key === compared?.split('.')[0],
		);
		// A threshold relative to something else (a share of the recent median) is no line on the signal's axis.
		if (
			rule.direction === undefined ||
			value === undefined ||
			compared === undefined ||
			unit === undefined ||
			signal === undefined ||
			!sameAxis[unit].includes(signal.unit)
		) {
			continue;
		}

		thresholds.set(compared, {
			value,
			direction: rule.direction,
			severity: rule.severity,
			rule: rule.id,
		});
	}

	return thresholds;
}

export function dashboardPanels(
	config: AlertConfig,
	options: DashboardOptions,
): PanelSpec[] {
	const by = options.by ?? 'instance';
	const matchers = [
		matcherBody(options.match),
		`${by}=~"$${dashboardVariables.instance}"`,
		`${vllmLabel.model}=~"$${dashboardVariables.model}"`,
	].filter(part => part !== '');
	const context: Context = {
		by,
		select: metric => `${metric}{${matchers.join(',')}}`,
		latencyWindow: `${options.windowSeconds}s`,
		thresholds: ruleThresholds(config, options),
	};
	const find = (key: string) =>
		signalCatalog.filter(signal => signal.key === key);
	const shown = new Set(headlines.flatMap(headline => headline.signals));
	const rest = signalCatalog.filter(
		signal => !shown.has(signal.key) && signal.kind.type !== 'custom',
	);
	return [
		...headlines.map(headline =>
			panelOf(
				headline.title,
				headline.signals.flatMap(key => find(key)),
				headline.stats,
				context,
				{
					headline: true,
				},
			),
		),
		panelOf('KV cache per engine', find('kv_cache_usage'), undefined, context, {
			headline: false,
			grouping: `${by}, ${vllmLabel.engine}`,
		}),
		...rest.map(signal =>
			panelOf(signal.label, [signal], undefined, context, {headline: false}),
		),
	];
}
