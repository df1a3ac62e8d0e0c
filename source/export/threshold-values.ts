/**
A rule's fire threshold in the unit of the signal it compares (the latency rules count milliseconds, their signals
seconds), and a value on each side of it: what the exported tests feed in and the dashboards draw.
*/
import type {KeyUnit, RuleDef} from '../alerts/rules/rule-def.js';

export function settingUnit(rule: RuleDef, key: string): KeyUnit | undefined {
	const {settings} = rule;
	return Object.hasOwn(settings, key) ? settings[key]?.unit : undefined;
}

/** The `value` setting in the compared signal's unit. */
export function thresholdInSignalUnit(
	rule: RuleDef,
	settings: Readonly<Record<string, number>>,
): number | undefined {
	const {value} = settings;
	if (value === undefined) {
		return undefined;
	}

	return settingUnit(rule, 'value') === 'ms' ? value / 1000 : value;
}

/** A value the rule lets be, and one it fires on, in the compared signal's unit. */
export function quietAndFiring(
	rule: RuleDef,
	settings: Readonly<Record<string, number>>,
): readonly [number, number] {
	const value = thresholdInSignalUnit(rule, settings) ?? 0;
	return rule.direction === 'below'
		? [value * 2 || 1, value / 2]
		: [value / 2, value * 2 || 1];
}
