/**
The alert rules as a Prometheus rules file: one alerting rule per vllm-top rule whose condition Prometheus can see,
with the thresholds, `for` and severity in force, and one recording rule (`vllm_top:<signal>[:<stat>]`) per signal
the alerts read, so each alert is a short comparison. The PromQL comes from the rule objects and the catalog
(`ruleQuery`), never from here.
*/
import type {AlertConfig} from '../alerts/alert-config.js';
import {ruleList} from '../alerts/rules/rule-list.js';
import type {RuleDef} from '../alerts/rules/rule-def.js';
import {ruleQuery} from '../prometheus/rule-queries.js';
import {ruleHint} from './rule-hint.js';

export type ExportOptions = {
	/** A label matcher such as `{job="vllm"}`, or empty. */
	readonly match: string;
	/** The latency window in seconds (`--window`). */
	readonly windowSeconds: number;
	/** The label that tells servers apart. @default 'instance' */
	readonly by?: string;
	/** Window of `rate()` for throughputs, in seconds. @default 60 */
	readonly rateWindowSeconds?: number;
};

export type RecordingRule = {readonly record: string; readonly expr: string};

export type AlertingRule = {
	readonly alert: string;
	readonly expr: string;
	readonly for: string;
	readonly keep_firing_for?: string;
	readonly labels: Readonly<Record<string, string>>;
	readonly annotations: Readonly<Record<string, string>>;
};

/** One exported alert: the rule it comes from and the signals (`ttft_seconds.p95`) its expression reads. */
export type ExportedAlert = {
	readonly rule: RuleDef;
	readonly settings: Readonly<Record<string, number>>;
	readonly reads: readonly string[];
	readonly alerting: AlertingRule;
};

export type ExportedRules = {
	readonly by: string;
	readonly recording: readonly RecordingRule[];
	readonly alerts: readonly ExportedAlert[];
	/** Rules that are not exported, with why. */
	readonly left: ReadonlyArray<{readonly id: string; readonly reason: string}>;
};

/** The label every exported alert carries with its vllm-top rule id. */
export const ruleLabel = 'vllm_top_rule';

/** `ttft_seconds.p95` -> `vllm_top:ttft_seconds:p95`. */
export function recordName(signalId: string): string {
	return `vllm_top:${signalId.replaceAll('.', ':')}`;
}

/** `kv_cache_pressure` -> `VllmTopKvCachePressure`. */
export function alertName(id: string): string {
	return `VllmTop${id
		.split('_')
		.map(word => word.charAt(0).toUpperCase() + word.slice(1))
		.join('')}`;
}

/** What each rule needs that is not a metric: said in the file, and by the agreement test. */
function notExportedReason(rule: RuleDef, config: AlertConfig): string | null {
	if ((config.disabled as readonly string[]).includes(rule.id)) {
		return 'disabled in the config';
	}

	// The DCGM exporter is a job of its own, labelled by GPU and host, not by the vLLM instance the rules group by.
	if (rule.inputs.some(input => input.startsWith('gpus.'))) {
		return `${rule.doc}; reads the DCGM exporter's GPUs, which carry no vLLM instance to group by`;
	}

	return rule.promql === null ? rule.doc : null;
}

/**
Prometheus ends an alert at the fire threshold; vllm-top only below `clear`. Where the two differ, the alert keeps
firing for as long again as it took to fire, so a value hovering at the threshold does not flap.
*/
function keepFiringFor(settings: Readonly<Record<string, number>>) {
	const {value, clear} = settings;
	const forSeconds = settings['for'] ?? 0;
	return clear !== undefined && clear !== value && forSeconds > 0
		? `${forSeconds}s`
		: undefined;
}

function comparison(rule: RuleDef, settings: Readonly<Record<string, number>>) {
	const {value} = settings;
	if (value === undefined || rule.direction === undefined) {
		return '';
	}

	return ` (fires ${rule.direction === 'below' ? 'under' : 'over'} ${value})`;
}

export function exportRules(
	config: AlertConfig,
	options: ExportOptions,
): ExportedRules {
	const by = options.by ?? 'instance';
	const recorded = new Map<string, string>();
	const alerts: ExportedAlert[] = [];
	const left: Array<{id: string; reason: string}> = [];
	for (const rule of ruleList as readonly RuleDef[]) {
		const reason = notExportedReason(rule, config);
		if (reason !== null) {
			left.push({id: rule.id, reason});
			continue;
		}

		const settings =
			(config.thresholds as Record<string, Record<string, number>>)[rule.id] ??
			{};
		const reads: string[] = [];
		const expr = ruleQuery(rule, settings, {
			match: options.match,
			by,
			rateWindow: `${options.rateWindowSeconds ?? 60}s`,
			latencyWindow: `${options.windowSeconds}s`,
			signalRef(id, expression, variant) {
				const recordId = variant === undefined ? id : `${id}.${variant}`;
				recorded.set(recordId, expression);
				reads.push(id);
				return recordName(recordId);
			},
		});
		if (expr === null) {
			continue;
		}

		const keep = keepFiringFor(settings);
		const hint = ruleHint(rule, settings, reads, config);
		alerts.push({
			rule,
			settings,
			reads,
			alerting: {
				alert: alertName(rule.id),
				// One alert per server whatever labels the condition keeps.
				expr: `max by (${by}) (${expr})`,
				for: `${settings['for'] ?? 0}s`,
				...(keep === undefined ? {} : {keep_firing_for: keep}),
				labels: {severity: rule.severity, [ruleLabel]: rule.id},
				annotations: {
					summary: `${rule.id} on {{ $labels.${by} }}${comparison(rule, settings)}`,
					// The doc quotes the default threshold; the summary says the one in force.
					...(settings['value'] === undefined ? {description: rule.doc} : {}),
					...(hint === undefined ? {} : {hint}),
				},
			},
		});
	}

	return {
		by,
		recording: [...recorded].map(([id, expr]) => ({
			record: recordName(id),
			expr: expr.slice(1, -1),
		})),
		alerts,
		left,
	};
}
