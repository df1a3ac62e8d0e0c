/**
Each alert rule's condition as one PromQL expression by instance, built from the rule's `promql` and the signals'
own PromQL, with the thresholds in force. What the rule means, for Prometheus: an alerting rule with this `expr` and
the rule's `for` fires where vllm-top's would (Prometheus has no `clear` hysteresis; it resolves at the fire
threshold).
*/
import {signalPanels} from '../catalog/signal-promql.js';
import {signalCatalog} from '../catalog/signals.js';
import {vllmLabel} from '../catalog/vllm-metrics.js';
import type {Thresholds} from '../alerts/rule-defaults.js';
import type {RuleDef} from '../alerts/rules/rule-def.js';
import {ruleList} from '../alerts/rules/rule-list.js';
import {matcherBody} from './panel-queries.js';

export type RuleQueryOptions = {
	/** A label matcher such as `{job="vllm"}`, or empty. */
	readonly match: string;
	/** The label that tells servers apart. @default 'instance' */
	readonly by?: string;
	/** Window of `rate()` for throughputs. @default '1m' */
	readonly rateWindow?: string;
	/** Window of ratios and quantiles. @default '1m' */
	readonly latencyWindow?: string;
	/**
	What a rule reads for a signal, given the signal's id (`ttft_seconds.p95`) and its PromQL in parentheses: the
	PromQL itself by default; the exported rules file puts a recording rule's name there instead. `worst_engine` marks
	the highest engine's value per server, which gauge rules judge.
	*/
	readonly signalRef?: (
		id: string,
		expression: string,
		variant?: 'worst_engine',
	) => string;
};

/** The PromQL of one rule, or null where Prometheus has no metric for its condition. */
export function ruleQuery(
	rule: RuleDef,
	settings: Readonly<Record<string, number>>,
	options: RuleQueryOptions,
): string | null {
	if (rule.promql === null) {
		return null;
	}

	const body = matcherBody(options.match);
	const by = options.by ?? 'instance';
	const select = (metric: string, matchers?: string) => {
		const all = [body, matchers ?? ''].filter(part => part !== '').join(',');
		return `${metric}{${all}}`;
	};

	const context = {
		select: (metric: string) => select(metric),
		rateWindow: options.rateWindow ?? '1m',
		latencyWindow: options.latencyWindow ?? '1m',
	};
	const panel = (key: string, stat?: string) => {
		const found = signalCatalog.find(entry => entry.key === key);
		const id = stat === undefined ? key : `${key}.${stat}`;
		const expressions =
			found === undefined
				? undefined
				: signalPanels(found, signalCatalog, context).find(
						([name]) => name === id,
					)?.[1];
		if (expressions === undefined) {
			throw new Error(`rule ${rule.id} reads ${id}, which has no PromQL`);
		}

		return {id, expressions};
	};

	const signal = (key: string, stat?: string) => {
		const {id, expressions} = panel(key, stat);
		const expression = `(${expressions.map(make => make(by)).join(' or ')})`;
		return options.signalRef?.(id, expression) ?? expression;
	};

	// Each engine's value, then the highest of them per instance.
	const worst = (key: string) => {
		const {id, expressions} = panel(key);
		const expression = `(${expressions
			.map(make => `max by (${by}) (${make(`${by}, ${vllmLabel.engine}`)})`)
			.join(' or ')})`;
		return options.signalRef?.(id, expression, 'worst_engine') ?? expression;
	};

	return rule.promql({signal, worst, select, by}, settings);
}

/** Every rule's PromQL with the given thresholds, by rule id; rules without one are left out. */
export function ruleQueries(
	thresholds: Thresholds,
	options: RuleQueryOptions,
): ReadonlyMap<string, string> {
	const queries = new Map<string, string>();
	for (const rule of ruleList) {
		const query = ruleQuery(rule, thresholds[rule.id], options);
		if (query !== null) {
			queries.set(rule.id, query);
		}
	}

	return queries;
}
