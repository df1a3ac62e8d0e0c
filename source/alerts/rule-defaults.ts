/**
The rule ids and their default settings. Kept apart from the rule logic so the config parser can name every valid id
and key without importing the rules. Units: latencies in milliseconds, fractions 0..1, durations in seconds.

`value` fires the rule, `clear` ends it: the gap between them is the hysteresis, so a value hovering around the fire
threshold does not flap. For the "below" rules (`prefix_cache_low`, `throughput_drop`) `clear` sits above `value`.
*/
import type {Severity} from './alert.js';

export const ruleDefaults = {
	ttft_p95_high: {value: 500, clear: 400, for: 60},
	itl_p95_high: {value: 30, clear: 25, for: 60},
	queue_backlog: {value: 10, clear: 5, for: 30, rising_for: 60},
	kv_cache_pressure: {value: 0.9, clear: 0.85, for: 300},
	preemptions: {value: 0, clear: 0, for: 30},
	swapping: {value: 0, clear: 0, for: 300},
	cpu_kv_overflow: {value: 0, clear: 0, for: 0},
	saturated: {value: 1, clear: 0.9, for: 60},
	prefix_cache_low: {value: 0.4, clear: 0.5, for: 120},
	throughput_drop: {value: 0.5, clear: 0.7, for: 30, window: 300},
	down: {for: 0},
	engine_unhealthy: {for: 0},
	restarted: {for: 0, hold: 60},
	sleeping: {for: 0},
	no_vllm_metrics: {for: 0},
	deprecated_names: {for: 0},
} as const satisfies Readonly<Record<string, Readonly<Record<string, number>>>>;

export type RuleId = keyof typeof ruleDefaults;

export const ruleIds: readonly RuleId[] = Object.keys(ruleDefaults).filter(id =>
	isRuleId(id),
);

export type RuleSettings<Id extends RuleId> = {
	readonly [Key in keyof (typeof ruleDefaults)[Id]]: number;
};

export type Thresholds = {readonly [Id in RuleId]: RuleSettings<Id>};

/** What a key measures, so parsing can accept `5m` for a duration and `90%` for a fraction, and reject the rest. */
export type KeyUnit = 'ms' | 'fraction' | 'seconds' | 'count' | 'per_second';

export const ruleKeyUnits: {
	readonly [Id in RuleId]: {
		readonly [Key in keyof (typeof ruleDefaults)[Id]]: KeyUnit;
	};
} = {
	ttft_p95_high: {value: 'ms', clear: 'ms', for: 'seconds'},
	itl_p95_high: {value: 'ms', clear: 'ms', for: 'seconds'},
	queue_backlog: {
		value: 'count',
		clear: 'count',
		for: 'seconds',
		rising_for: 'seconds',
	},
	kv_cache_pressure: {value: 'fraction', clear: 'fraction', for: 'seconds'},
	preemptions: {value: 'per_second', clear: 'per_second', for: 'seconds'},
	swapping: {value: 'count', clear: 'count', for: 'seconds'},
	cpu_kv_overflow: {value: 'fraction', clear: 'fraction', for: 'seconds'},
	saturated: {value: 'fraction', clear: 'fraction', for: 'seconds'},
	prefix_cache_low: {value: 'fraction', clear: 'fraction', for: 'seconds'},
	throughput_drop: {
		value: 'fraction',
		clear: 'fraction',
		for: 'seconds',
		window: 'seconds',
	},
	down: {for: 'seconds'},
	engine_unhealthy: {for: 'seconds'},
	restarted: {for: 'seconds', hold: 'seconds'},
	sleeping: {for: 'seconds'},
	no_vllm_metrics: {for: 'seconds'},
	deprecated_names: {for: 'seconds'},
};

/** `above`: fires when the signal rises over `value`. `below`: fires when it falls under `value`. */
export const ruleDirection: Readonly<
	Partial<Record<RuleId, 'above' | 'below'>>
> = {
	ttft_p95_high: 'above',
	itl_p95_high: 'above',
	queue_backlog: 'above',
	kv_cache_pressure: 'above',
	preemptions: 'above',
	swapping: 'above',
	cpu_kv_overflow: 'above',
	saturated: 'above',
	prefix_cache_low: 'below',
	throughput_drop: 'below',
};

/** The severity a rule fires with; `queue_backlog` escalates to crit while the queue keeps rising. */
export const ruleSeverity: Readonly<Record<RuleId, Severity>> = {
	ttft_p95_high: 'warn',
	itl_p95_high: 'warn',
	queue_backlog: 'warn',
	kv_cache_pressure: 'warn',
	preemptions: 'warn',
	swapping: 'warn',
	cpu_kv_overflow: 'warn',
	saturated: 'warn',
	prefix_cache_low: 'info',
	throughput_drop: 'warn',
	down: 'crit',
	engine_unhealthy: 'crit',
	restarted: 'warn',
	sleeping: 'warn',
	no_vllm_metrics: 'warn',
	deprecated_names: 'info',
};

export function isRuleId(id: string): id is RuleId {
	return Object.hasOwn(ruleDefaults, id);
}

export function ruleKeys(id: RuleId): readonly string[] {
	return Object.keys(ruleDefaults[id]);
}

export function keyUnit(id: RuleId, key: string): KeyUnit | undefined {
	const units = ruleKeyUnits[id] as Readonly<Record<string, KeyUnit>>;
	return Object.hasOwn(units, key) ? units[key] : undefined;
}
