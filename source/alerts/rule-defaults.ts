/**
The rule ids and their settings, read off the rule objects (`rules/`), for the evaluator and the config parser. Units:
latencies in milliseconds, fractions 0..1, durations in seconds.

`value` fires the rule, `clear` ends it: the gap between them is the hysteresis, so a value hovering around the fire
threshold does not flap. For the "below" rules (`prefix_cache_low`, `throughput_drop`) `clear` sits above `value`.
*/
import type {Severity} from './alert.js';
import type {KeyUnit, RuleSetting} from './rules/rule-def.js';
import {ruleList} from './rules/rule-list.js';

export type {KeyUnit} from './rules/rule-def.js';

type RuleEntry = (typeof ruleList)[number];

export type RuleId = RuleEntry['id'];

type SettingsOf<Id extends RuleId> = Extract<
	RuleEntry,
	{readonly id: Id}
>['settings'];

export type RuleSettings<Id extends RuleId> = {
	readonly [Key in keyof SettingsOf<Id>]: number;
};

export type Thresholds = {readonly [Id in RuleId]: RuleSettings<Id>};

const byId = new Map<string, RuleEntry>(ruleList.map(rule => [rule.id, rule]));

export const ruleIds: readonly RuleId[] = ruleList.map(rule => rule.id);

// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- every rule's settings, each at its default
export const ruleDefaults = Object.fromEntries(
	ruleList.map(rule => [
		rule.id,
		Object.fromEntries(
			Object.entries<RuleSetting>(rule.settings).map(([key, setting]) => [
				key,
				setting.default,
			]),
		),
	]),
) as Thresholds;

/** `above`: fires when the signal rises over `value`. `below`: fires when it falls under `value`. */
export const ruleDirection: Readonly<
	Partial<Record<RuleId, 'above' | 'below'>>
> = Object.fromEntries(
	ruleList.flatMap(rule =>
		'direction' in rule && rule.direction !== undefined
			? [[rule.id, rule.direction]]
			: [],
	),
);

/** The severity a rule fires with; `queue_backlog` escalates to crit while the queue keeps rising. */
export const ruleSeverity: Readonly<Record<RuleId, Severity>> =
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- one entry per rule
	Object.fromEntries(ruleList.map(rule => [rule.id, rule.severity])) as Record<
		RuleId,
		Severity
	>;

export function isRuleId(id: string): id is RuleId {
	return byId.has(id);
}

export function ruleKeys(id: RuleId): readonly string[] {
	return Object.keys(byId.get(id)?.settings ?? {});
}

export function keyUnit(id: RuleId, key: string): KeyUnit | undefined {
	const settings: Readonly<Record<string, {readonly unit: KeyUnit}>> =
		byId.get(id)?.settings ?? {};
	return Object.hasOwn(settings, key) ? settings[key]?.unit : undefined;
}
