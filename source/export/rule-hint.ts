/**
The hint an exported alert carries: the one the rule itself writes, asked of the rule's own `check` on a made-up
scrape where it fires (its signal past the threshold, nothing else known). The hint then names the `vllm serve` flags
to change as the terminal view does for a server it knows nothing more about.
*/
import type {AlertConfig} from '../alerts/alert-config.js';
import {answeredInput, type AlertInput} from '../alerts/alert-input.js';
import type {RuleContext} from '../alerts/rule-context.js';
import type {RuleDef} from '../alerts/rules/rule-def.js';
import {nullSignals} from '../catalog/signal-types.js';
import type {Signals} from '../derive/snapshot.js';
import {presentValue} from './signal-series.js';
import {quietAndFiring} from './threshold-values.js';

/** What makes each rule that reads no signal fire. */
const firingFacts: Readonly<Record<string, Partial<AlertInput>>> = {
	down: {scrapeError: 'the scrape failed', signals: null},
	restarted: {restarted: true},
	no_vllm_metrics: {hasVllmMetrics: false},
};

/** What each rule that counts a counter's growth sees while it fires; the scrape before it sees nothing. */
const firingSignals: Readonly<Record<string, Partial<Signals>>> = {
	server_errors: {http_requests_per_s_by_status: {'2xx': 9, '5xx': 1}},
};

function withValue(signals: Signals, id: string, value: number): Signals {
	const [key, stat] = id.split('.');
	const reading =
		stat === undefined
			? value
			: {p50: value, p95: value, p99: value, mean: value};
	return {...signals, [key!]: reading};
}

function scrapeWith(
	rule: RuleDef,
	settings: Readonly<Record<string, number>>,
	reads: readonly string[],
	side: 0 | 1,
): Signals {
	let signals: Signals =
		rule.id === 'sleeping'
			? {...nullSignals, sleep_state: 'weights_offloaded'}
			: {...nullSignals, ...(side === 1 ? firingSignals[rule.id] : {})};
	for (const [index, id] of reads.entries()) {
		signals = withValue(
			signals,
			id,
			index === 0 ? quietAndFiring(rule, settings)[side] : presentValue(id),
		);
	}

	return signals;
}

export function ruleHint(
	rule: RuleDef,
	settings: Readonly<Record<string, number>>,
	reads: readonly string[],
	config: AlertConfig,
): string | undefined {
	const firing = scrapeWith(rule, settings, reads, 1);
	const input: AlertInput = {
		...answeredInput(60_000, firing, [], true),
		generation: null,
		...firingFacts[rule.id],
	};
	// A minute of quiet before, for the rules that compare with the recent past.
	const context: RuleContext = {
		input,
		config,
		history: [
			{at: 0, signals: scrapeWith(rule, settings, reads, 0)},
			{at: 60_000, signals: firing},
		],
		maxRunning: null,
		lastRestartAt: null,
	};
	const verdict = rule.needsSignals
		? rule.check(context, firing)
		: rule.check(context);
	return verdict.kind === 'fire' ? verdict.hint : undefined;
}
