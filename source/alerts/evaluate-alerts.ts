/**
Runs the rule table on one scrape and steps each rule's state: inactive -> pending (condition holds, `for` not yet
elapsed) -> firing -> resolved (listed for `resolvedFor`, then dropped). An active alert ends only when its signal
crosses the `clear` threshold, not the fire threshold. Pure: the memory goes in and comes back out.
*/
import type {Status} from '../derive/snapshot.js';
import type {AlertConfig} from './alert-config.js';
import type {Alert, AlertState} from './alert.js';
import {compareAlerts} from './alert-order.js';
import {
	emptyAlertMemory,
	type AlertInput,
	type AlertMemory,
} from './alert-input.js';
import {ruleSeverity, type RuleId} from './rule-defaults.js';
import type {RuleContext, Verdict} from './rule-context.js';
import {ruleList as rules} from './rules/rule-list.js';
import {inServerWords} from './server-flags.js';
import {historyWithCurrent, learnMaxRunning} from './signal-history.js';

export type AlertEvaluation = {
	readonly memory: AlertMemory;
	/** Firing first, then pending, then resolved; by severity within each. */
	readonly alerts: Alert[];
	readonly status: Status;
};

type Step = {
	readonly id: RuleId;
	readonly before: Alert | undefined;
	readonly verdict: Verdict;
	readonly forSeconds: number;
	readonly at: number;
	readonly instant: boolean;
	readonly resolvedFor: number;
};

function expire(
	alert: Alert | undefined,
	at: number,
	resolvedFor: number,
): Alert | undefined {
	if (alert?.state !== 'resolved') {
		return alert;
	}

	return at - (alert.until ?? alert.since) > resolvedFor * 1000
		? undefined
		: alert;
}

function step({
	id,
	before,
	verdict,
	forSeconds,
	at,
	instant,
	resolvedFor,
}: Step): Alert | undefined {
	const active = before !== undefined && before.state !== 'resolved';
	switch (verdict.kind) {
		case 'unknown': {
			return before;
		}

		case 'clear': {
			if (before?.state === 'firing') {
				return {...before, state: 'resolved', until: at};
			}

			return active ? undefined : expire(before, at, resolvedFor);
		}

		case 'hold': {
			if (!active) {
				return expire(before, at, resolvedFor);
			}

			break;
		}

		case 'fire': {
			break;
		}
	}

	const severity = verdict.severity ?? ruleSeverity[id];
	if (instant) {
		return verdict.kind === 'fire'
			? {
					id,
					severity,
					state: 'firing',
					message: verdict.message,
					hint: verdict.hint,
					since: at,
				}
			: undefined;
	}

	const since = active ? before.since : at;
	let state: AlertState;
	if (verdict.kind === 'hold') {
		state = before?.state === 'firing' ? 'firing' : 'pending';
	} else {
		state =
			before?.state === 'firing' || at - since >= forSeconds * 1000
				? 'firing'
				: 'pending';
	}

	return {
		id,
		severity,
		state,
		message: verdict.message,
		hint: verdict.hint,
		since,
	};
}

/** The scrape failed: nothing else can be judged. Otherwise the worst firing severity; info never counts. */
export function statusOf(
	scrapeFailed: boolean,
	alerts: readonly Alert[],
): Status {
	if (scrapeFailed) {
		return 'down';
	}

	const firing = alerts.filter(alert => alert.state === 'firing');
	if (firing.some(alert => alert.severity === 'crit')) {
		return 'crit';
	}

	return firing.some(alert => alert.severity === 'warn') ? 'warn' : 'ok';
}

export function evaluateAlerts(
	memory: AlertMemory | undefined,
	input: AlertInput,
	config: AlertConfig,
): AlertEvaluation {
	const previous = input.instant
		? emptyAlertMemory
		: (memory ?? emptyAlertMemory);
	const history = historyWithCurrent(input);
	const lastRestartAt = input.restarted ? input.at : previous.lastRestartAt;
	const learnedMaxRunning = learnMaxRunning(
		history,
		previous.learnedMaxRunning,
	);
	let maxRunning: RuleContext['maxRunning'] = null;
	if (config.maxNumSeqs !== null) {
		maxRunning = {
			value: config.maxNumSeqs * Math.max(1, input.engineCount ?? 1),
			learned: false,
		};
	} else if (learnedMaxRunning !== null) {
		maxRunning = {value: learnedMaxRunning, learned: true};
	}

	const context: RuleContext = {
		input,
		config,
		history,
		maxRunning,
		lastRestartAt,
	};
	const scrapeFailed = input.scrapeError !== null || input.signals === null;
	const next: Partial<Record<RuleId, Alert>> = {};
	const shown: Alert[] = [];
	for (const rule of rules) {
		if (config.disabled.includes(rule.id)) {
			continue;
		}

		let verdict: Verdict;
		if (!rule.needsSignals) {
			verdict = rule.check(context);
		} else if (scrapeFailed || input.signals === null) {
			verdict = {kind: 'unknown'};
		} else {
			verdict = rule.check(context, input.signals);
		}

		verdict = inServerWords(verdict, input.dialect);

		const after = step({
			id: rule.id,
			before: previous.alerts[rule.id],
			verdict,
			forSeconds: config.thresholds[rule.id].for,
			at: input.at,
			instant: input.instant,
			resolvedFor: config.resolvedFor,
		});
		if (after === undefined) {
			continue;
		}

		next[rule.id] = after;
		// Alerts judged on signals are kept through a failed scrape but not shown: their data is stale.
		if (!(rule.needsSignals && scrapeFailed)) {
			shown.push(after);
		}
	}

	shown.sort(compareAlerts);
	return {
		memory: {alerts: next, lastRestartAt, learnedMaxRunning},
		alerts: shown,
		status: statusOf(scrapeFailed, shown),
	};
}
