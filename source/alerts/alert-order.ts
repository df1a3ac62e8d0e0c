/**
The one order alerts are listed in, by `--json`, the reports and the views: firing before pending before resolved,
the worst severity first, then in rule order.
*/
import type {Alert, AlertState, Severity} from './alert.js';
import {ruleIds} from './rule-defaults.js';

const stateRank: Readonly<Record<AlertState, number>> = {
	firing: 0,
	pending: 1,
	resolved: 2,
};
const severityRank: Readonly<Record<Severity, number>> = {
	crit: 0,
	warn: 1,
	info: 2,
};

const ruleOrder: readonly string[] = ruleIds;

export function compareAlerts(a: Alert, b: Alert): number {
	return (
		stateRank[a.state] - stateRank[b.state] ||
		severityRank[a.severity] - severityRank[b.severity] ||
		ruleOrder.indexOf(a.id) - ruleOrder.indexOf(b.id)
	);
}

export function sortAlerts(alerts: readonly Alert[]): Alert[] {
	return alerts.toSorted(compareAlerts);
}
