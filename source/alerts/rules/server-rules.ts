/**
Server rules: whether there is a working vLLM to watch at all, and what it says about itself.
*/
import {deprecatedNames} from '../../catalog/deprecated-names.js';
import {
	describeGroups,
	serverOnlyPrefixes,
} from '../../catalog/family-groups.js';
import {vllmMetric} from '../../catalog/vllm-metrics.js';
import type {Signals} from '../../derive/snapshot.js';
import {formatSpokenDuration} from '../../format/units.js';
import {formatNumber, formatPercent} from '../alert-text.js';
import {downHint} from '../hints.js';
import {
	levelAbove,
	verdict,
	type RuleContext,
	type Verdict,
} from '../rule-context.js';
import {growthOver} from '../signal-history.js';
import type {TrendSignals} from '../trend-signals.js';
import {defineRule} from './rule-def.js';
import {count, fraction, seconds} from './setting-units.js';

/** Metric names hold only letters, digits, `_` and `:`, none of them special in a regular expression. */
const deprecatedPattern = [...deprecatedNames.keys()]
	.map(name => `${name}(?:_total|_bucket|_sum|_count)?`)
	.join('|');

export const down = defineRule({
	id: 'down',
	severity: 'crit',
	doc: 'the scrape fails',
	inputs: ['scrape'],
	settings: {for: seconds(0)},
	promql: q => `${q.select('up')} == 0`,
	needsSignals: false,
	check({input}: RuleContext): Verdict {
		const failed = input.scrapeError !== null || input.signals === null;
		if (!failed) {
			return {kind: 'clear'};
		}

		const error = input.scrapeError ?? 'no data';
		return {
			kind: 'fire',
			message: `scrape failed: ${error}`,
			hint: downHint(error),
		};
	},
});

export const engineUnhealthy = defineRule({
	id: 'engine_unhealthy',
	severity: 'crit',
	doc: '`/health` answers 5xx; no PromQL: `/health` is no metric',
	inputs: ['health'],
	settings: {for: seconds(0)},
	promql: null,
	needsSignals: false,
	check({input}: RuleContext): Verdict {
		if (input.health === 'unknown') {
			return {kind: 'unknown'};
		}

		return input.health === 'ok'
			? {kind: 'clear'}
			: {
					kind: 'fire',
					message: '/health answers 503: the engine is dead',
					hint: 'the engine process died (EngineDeadError): read the vllm serve log for the cause, then restart it',
				};
	},
});

export const restarted = defineRule({
	id: 'restarted',
	severity: 'warn',
	doc: 'counters went backwards (held for 60 s)',
	inputs: ['restarted'],
	settings: {for: seconds(0), hold: seconds(60)},
	promql: (q, t) =>
		`changes(${q.select('process_start_time_seconds')}[${t['hold']}s]) > 0`,
	needsSignals: false,
	check({input, config, lastRestartAt}: RuleContext): Verdict {
		const holding = input.instant
			? input.restarted
			: lastRestartAt !== null &&
				input.at - lastRestartAt < config.thresholds.restarted.hold * 1000;
		return holding
			? {
					kind: 'fire',
					message: 'counters went backwards: the server restarted',
					hint: 'look in the vllm serve log (and dmesg for the OOM killer) for why it stopped',
				}
			: {kind: 'clear'};
	},
});

export const sleeping = defineRule({
	id: 'sleeping',
	severity: 'warn',
	doc: '`vllm:engine_sleep_state` says the engine sleeps',
	inputs: ['sleep_state'],
	settings: {for: seconds(0)},
	promql: q =>
		`min by (${q.by}) (${q.select(vllmMetric.sleepState, 'sleep_state="awake"')}) == 0`,
	needsSignals: true,
	check(_context: RuleContext, signals: Signals): Verdict {
		const state = signals.sleep_state;
		if (state === null || state === 'awake') {
			return {kind: 'clear'};
		}

		const level =
			state === 'weights_offloaded'
				? 'level 1: weights offloaded to CPU'
				: 'level 2: weights discarded';
		return {
			kind: 'fire',
			message: `the engine is asleep (${level})`,
			hint: 'it serves nothing until POST /wake_up (needs VLLM_SERVER_DEV_MODE=1)',
		};
	},
});

export const noVllmMetrics = defineRule({
	id: 'no_vllm_metrics',
	severity: 'warn',
	doc: '`/metrics` has neither `vllm:` nor `sglang:` families: says what it has instead (only process and HTTP metrics: the server runs with `--disable-log-stats`)',
	inputs: ['families'],
	settings: {for: seconds(0)},
	promql: q =>
		`${q.select('up')} == 1 unless on (${q.by}) count by (${q.by}) (${q.select('', '__name__=~"(vllm|ray_vllm|sglang)[:_].+"')})`,
	needsSignals: true,
	check({input}: RuleContext): Verdict {
		if (input.hasVllmMetrics) {
			return {kind: 'clear'};
		}

		const groups = input.foundFamilies ?? [];
		const serverOnly = groups.every(group =>
			serverOnlyPrefixes.includes(group.prefix),
		);
		const found =
			groups.length === 0
				? 'no metrics at all'
				: `only ${describeGroups(groups)}`;
		return {
			kind: 'fire',
			message: `/metrics has no vllm: or sglang: families, ${found}`,
			hint: serverOnly
				? 'a vLLM server with --disable-log-stats shows only these: restart it without that flag (SGLang needs --enable-metrics)'
				: "this is neither vLLM nor SGLang: point vllm-top at the inference server's own /metrics (vLLM: --port, 8000 by default; SGLang: --enable-metrics, port 30000)",
		};
	},
});

export const deprecatedNamesRule = defineRule({
	id: 'deprecated_names',
	severity: 'info',
	doc: 'the page uses names a coming vLLM release drops',
	inputs: ['families'],
	settings: {for: seconds(0)},
	promql: q =>
		`count by (${q.by}) (${q.select('', `__name__=~"${deprecatedPattern}"`)}) > 0`,
	needsSignals: true,
	check({input}: RuleContext): Verdict {
		const names = input.deprecatedNames;
		if (names.length === 0) {
			return {kind: 'clear'};
		}

		const shown = names.slice(0, 3).join(', ');
		const more = names.length > 3 ? ` and ${names.length - 3} more` : '';
		const moves = names
			.slice(0, 2)
			.map(name => `${name} -> ${deprecatedNames.get(name) ?? 'nothing'}`)
			.join('; ');
		return {
			kind: 'fire',
			message: `the server exposes deprecated ${names.length === 1 ? 'name' : 'names'} ${shown}${more}`,
			hint: `the next vLLM release drops them; move dashboards and alert rules: ${moves}`,
		};
	},
});

/** Answers by status class per second; a page with the counter but no 5xx series yet has had no 5xx answers. */
const httpErrors = (signals: TrendSignals): number | null => {
	const byStatus = signals.http_requests_per_s_by_status;
	return byStatus === null ? null : (byStatus['5xx'] ?? 0);
};

const httpAnswers = (signals: TrendSignals): number | null => {
	const byStatus = signals.http_requests_per_s_by_status;
	return byStatus === null
		? null
		: Object.values(byStatus).reduce((sum, value) => sum + value, 0);
};

export const serverErrors = defineRule({
	id: 'server_errors',
	severity: 'warn',
	doc: 'over 1 % of HTTP answers are 5xx, at least 5 of them in the window (warn); crit on any corrupted request (NaN logits) in the window',
	inputs: ['http_requests_per_s_by_status', 'corrupted_requests_per_s'],
	direction: 'above',
	settings: {
		value: fraction(0.01),
		clear: fraction(0.005),
		for: seconds(0),
		window: seconds(60),
		min_errors: count(5),
		min_corrupted: count(1),
	},
	promql(q, t) {
		const increase = (
			matchers?: string,
			metric: string = vllmMetric.httpRequests,
		) =>
			`sum by (${q.by}) (increase(${q.select(metric, matchers)}[${t['window']}s]))`;
		const errors = increase('status="5xx"');
		return `${increase(undefined, vllmMetric.corruptedRequests)} >= ${t['min_corrupted']} or (${errors} >= ${t['min_errors']} and ${errors} / ${increase()} > ${t['value']})`;
	},
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		if (
			httpErrors(signals) === null &&
			signals.corrupted_requests_per_s === null
		) {
			return {kind: 'clear'};
		}

		const settings = context.config.thresholds.server_errors;
		const {history, input} = context;
		const over = (pick: (entry: TrendSignals) => number | null) =>
			growthOver(history, pick, input.at, settings.window);
		const corrupted = over(entry => entry.corrupted_requests_per_s);
		if (corrupted !== null && corrupted.total >= settings.min_corrupted) {
			return verdict(
				'fire',
				`${formatNumber(corrupted.total)} corrupted requests (NaN logits) in the last ${formatSpokenDuration(corrupted.seconds * 1000)}`,
				'logits held NaNs: check the model weights, the dtype (try --dtype bfloat16) and the quantization, then the vllm serve log',
				'crit',
			);
		}

		const errors = over(httpErrors);
		const answers = over(httpAnswers);
		// One failed answer in a minute is noise: a share needs a count behind it.
		if (
			errors === null ||
			answers === null ||
			answers.total <= 0 ||
			errors.total < settings.min_errors
		) {
			return {kind: 'clear'};
		}

		const share = errors.total / answers.total;
		return verdict(
			levelAbove(share, settings.value, settings.clear),
			`${formatPercent(share)} of HTTP answers are 5xx: ${formatNumber(errors.total)} of ${formatNumber(answers.total)} in the last ${formatSpokenDuration(errors.seconds * 1000)}`,
			'requests fail inside the server: read the vllm serve log for the traceback (out of memory, a request shape it cannot take, a dead engine)',
		);
	},
});
