/**
A `promtool test rules` file for the exported rules: for each alert, one server goes quiet -> over the threshold ->
quiet again while a second stays quiet, and the alert must be absent, firing (after its `for`, on that server only)
and gone. The input series come from the catalog (`signalSeries`); the rules that read no signal get the metric their
condition names.
*/
import {stringify} from 'yaml';
import {deprecatedNames} from '../catalog/deprecated-names.js';
import {vllmMetric} from '../catalog/vllm-metrics.js';
import {matcherBody} from '../prometheus/panel-queries.js';
import type {
	ExportedAlert,
	ExportedRules,
	ExportOptions,
} from './prometheus-rules.js';
import {leftOutComment} from './rules-file.js';
import {quietAndFiring} from './threshold-values.js';
import {
	presentValue,
	gaugeSeries,
	growingSeries,
	signalSeries,
	type InputSeries,
	type Steps,
} from './signal-series.js';

/** The rules file the tests load, beside the tests file. */
export const rulesFileName = 'vllm-top-rules.yml';

const stepSeconds = 15;

type Labels = Readonly<Record<string, string>>;

/** A value for each of the three phases: quiet, firing, quiet; null where the series is absent. */
type Phases = readonly [number | null, number | null, number | null];

/** The rules that read no signal, by id: the series their condition names, per phase. */
const serverCases: Readonly<
	Record<string, ReadonlyArray<readonly [string, Phases, Labels?]>>
> = {
	sleeping: [[vllmMetric.sleepState, [1, 0, 1], {sleep_state: 'awake'}]],
	down: [['up', [1, 0, 1]]],
	no_vllm_metrics: [
		['up', [1, 1, 1]],
		[vllmMetric.running, [1, null, 1]],
	],
	deprecated_names: [[[...deprecatedNames.keys()][0]!, [null, 1, null]]],
	restarted: [['process_start_time_seconds', [1000, 2000, 2000]]],
};

/**
The rules that count a counter's growth in a window of their own: each counter's growth per second, per phase. Here
5xx answers are a tenth of all answers while firing, and no request is corrupted.
*/
const counterCases: Readonly<
	Record<
		string,
		ReadonlyArray<readonly [string, readonly [number, number, number], Labels?]>
	>
> = {
	server_errors: [
		[vllmMetric.httpRequests, [10, 10, 10], {status: '2xx'}],
		[vllmMetric.httpRequests, [0, 1, 0], {status: '5xx'}],
		[vllmMetric.corruptedRequests, [0, 0, 0]],
	],
};

/** `{job="vllm"}` -> `{job: 'vllm'}`; only equality matchers name the labels of a series. */
function matchLabels(match: string): Labels | string {
	const body = matcherBody(match);
	const labels: Record<string, string> = {};
	for (const part of body === '' ? [] : body.split(',')) {
		const found = /^\s*([a-zA-Z_]\w*)\s*=\s*"([^"\\]*)"\s*$/v.exec(part);
		if (found === null) {
			return `promtool tests take --match with label="value" matchers only (got '${match}')`;
		}

		labels[found[1]!] = found[2]!;
	}

	return labels;
}

function expand(phases: Phases, length: number): Steps {
	return phases.flatMap(value => Array.from({length}, () => value));
}

function seriesOf(
	alert: ExportedAlert,
	length: number,
	labels: Labels,
	quietOnly: boolean,
): InputSeries[] | string {
	const counters = counterCases[alert.rule.id];
	if (counters !== undefined) {
		return counters.map(([name, phases, extra]) =>
			growingSeries(
				name,
				expand(
					quietOnly ? [phases[0], phases[0], phases[0]] : phases,
					length,
				).map(value => value ?? 0),
				stepSeconds,
				{...labels, ...extra},
			),
		);
	}

	const server = serverCases[alert.rule.id];
	if (server !== undefined) {
		return server.map(([name, phases, extra]) =>
			gaugeSeries(
				name,
				expand(quietOnly ? [phases[0], phases[0], phases[0]] : phases, length),
				{...labels, ...extra},
			),
		);
	}

	if (alert.reads.length === 0 || alert.rule.direction === undefined) {
		return `${alert.rule.id} has no input series: give it a case in promtool-tests.ts`;
	}

	const [quiet, firing] = quietAndFiring(alert.rule, alert.settings);
	const compared = expand([quiet, quietOnly ? quiet : firing, quiet], length);
	// Whatever else the condition reads is present and positive (`requests_running > 0`).
	const series = alert.reads.flatMap((id, index) =>
		signalSeries(
			id,
			index === 0
				? compared.map(value => value ?? 0)
				: compared.map(() => presentValue(id)),
			stepSeconds,
			labels,
		),
	);
	// A volume counts the same counter a ratio divides by (`prefix_cache_queries_total`): the ratio's series stand.
	return series.filter(
		(input, index) =>
			series.findIndex(other => other.series === input.series) === index,
	);
}

function phaseSteps(alert: ExportedAlert, windowSeconds: number): number {
	const specs: Readonly<Record<string, {readonly unit: string}>> =
		alert.rule.settings;
	const durations = Object.entries(alert.settings).flatMap(([key, value]) =>
		specs[key]?.unit === 'seconds' ? [value] : [],
	);
	const longest = Math.max(0, ...durations);
	return Math.ceil((longest * 2 + 2 * windowSeconds + 60) / stepSeconds);
}

/** When the alert must be firing: after the window fills and `for` passes, before a changing baseline catches up. */
function fireAt(alert: ExportedAlert, length: number, windowSeconds: number) {
	const start = length * stepSeconds;
	if (alert.rule.id === 'restarted') {
		return start + stepSeconds;
	}

	return start + windowSeconds + (alert.settings['for'] ?? 0) + 2 * stepSeconds;
}

function testOf(
	alert: ExportedAlert,
	options: ExportOptions,
	labels: Labels,
	by: string,
) {
	const windowSeconds = Math.max(
		options.windowSeconds,
		options.rateWindowSeconds ?? 60,
	);
	const length = phaseSteps(alert, windowSeconds);
	const a = {...labels, [by]: 'a'};
	const b = {...labels, [by]: 'b'};
	const seriesA = seriesOf(alert, length, a, false);
	const seriesB = seriesOf(alert, length, b, true);
	if (typeof seriesA === 'string') {
		return seriesA;
	}

	if (typeof seriesB === 'string') {
		return seriesB;
	}

	const {alert: name, labels: ruleLabels, annotations} = alert.alerting;
	const firing = {
		exp_labels: {...ruleLabels, [by]: 'a'},
		exp_annotations: Object.fromEntries(
			Object.entries(annotations).map(([key, text]) => [
				key,
				text.replaceAll(`{{ $labels.${by} }}`, 'a'),
			]),
		),
	};
	const at = (seconds: number) => `${seconds}s`;
	return {
		name: `${alert.rule.id}: quiet, firing on one server, quiet`,
		interval: at(stepSeconds),
		input_series: [...seriesA, ...seriesB],
		alert_rule_test: [
			{
				eval_time: at((length - 1) * stepSeconds),
				alertname: name,
				exp_alerts: [],
			},
			{
				eval_time: at(fireAt(alert, length, windowSeconds)),
				alertname: name,
				exp_alerts: [firing],
			},
			{
				eval_time: at((3 * length - 1) * stepSeconds),
				alertname: name,
				exp_alerts: [],
			},
		],
	};
}

export function promtoolTestsText(
	rules: ExportedRules,
	options: ExportOptions,
):
	| {readonly ok: true; readonly text: string}
	| {readonly ok: false; readonly error: string} {
	const labels = matchLabels(options.match);
	if (typeof labels === 'string') {
		return {ok: false, error: labels};
	}

	const tests = [];
	for (const alert of rules.alerts) {
		const test = testOf(alert, options, labels, rules.by);
		if (typeof test === 'string') {
			return {ok: false, error: test};
		}

		tests.push(test);
	}

	const header = [
		`# promtool test rules for vllm-top's exported alerts; save the rules beside this file as ${rulesFileName}.`,
		...leftOutComment(rules),
	];
	const file = {
		rule_files: [rulesFileName],
		evaluation_interval: `${stepSeconds}s`,
		tests,
	};
	return {
		ok: true,
		text: `${header.join('\n')}\n${stringify(file, {lineWidth: 0})}`,
	};
}
