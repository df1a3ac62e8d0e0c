/**
The shape of one alert rule: everything about it in one object. Its settings carry their default, unit and meaning;
`check` turns one scrape into a verdict with the message and the hint; `promql` is the condition the rule fires on,
written for Prometheus with the same thresholds (the `for` duration and the `clear` hysteresis are the evaluator's).
*/
import type {Severity} from '../alert.js';
import type {RuleContext, Verdict} from '../rule-context.js';
import type {Signals} from '../../derive/snapshot.js';

/** What a setting measures, so parsing can accept `5m` for a duration and `90%` for a fraction, and reject the rest. */
export type KeyUnit = 'ms' | 'fraction' | 'seconds' | 'count' | 'per_second';

export type RuleSetting = {
	readonly default: number;
	readonly unit: KeyUnit;
};

/** `value` fires the rule, `clear` ends it; `for` is how long the condition must hold before it fires. */
export type RuleSettingsSpec = {
	readonly value?: RuleSetting;
	readonly clear?: RuleSetting;
	readonly for: RuleSetting;
} & Readonly<Record<string, RuleSetting>>;

/** Builds a rule's PromQL condition from the signals' own expressions. */
export type RulePromql = {
	/** The PromQL of a signal (or one statistic of it), by instance, in parentheses. */
	readonly signal: (
		key: string,
		stat?: 'p50' | 'p90' | 'p95' | 'p99' | 'mean',
	) => string;
	/** A gauge signal on its worst engine: the highest per-engine value, by instance. */
	readonly worst: (key: string) => string;
	/** A metric selector with the user's label matchers and any given here: `vllm:x{job="vllm",k="v"}`. */
	readonly select: (metric: string, matchers?: string) => string;
	/** The label that tells servers apart, e.g. `instance`. */
	readonly by: string;
};

type Checked =
	| {
			readonly needsSignals: true;
			readonly check: (context: RuleContext, signals: Signals) => Verdict;
	  }
	| {
			readonly needsSignals: false;
			readonly check: (context: RuleContext) => Verdict;
	  };

export type RuleDef<
	Id extends string = string,
	Settings extends RuleSettingsSpec = RuleSettingsSpec,
> = {
	readonly id: Id;
	/** The severity it fires with (a rule may raise it for one scrape, as `queue_backlog` does while rising). */
	readonly severity: Severity;
	/** When it fires, in the README's words. */
	readonly doc: string;
	/** The signals (or facts of the scrape) it reads. */
	readonly inputs: readonly string[];
	/** `above`: fires when the input rises over `value`; `below`: when it falls under it. */
	readonly direction?: 'above' | 'below';
	readonly settings: Settings;
	/**
	The condition in PromQL, with the settings' values filled in; null where Prometheus has no metric for it, with the
	reason in `doc`.
	*/
	readonly promql:
		| ((
				query: RulePromql,
				settings: Readonly<Record<string, number>>,
		  ) => string)
		| null;
} & Checked;

/** Keeps a rule's id and settings as literal types, so the settings of every rule are typed by the rule itself. */
export function defineRule<
	const Id extends string,
	const Settings extends RuleSettingsSpec,
>(rule: RuleDef<Id, Settings>): RuleDef<Id, Settings> {
	return rule;
}
