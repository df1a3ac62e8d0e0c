/**
Efficiency rules: the server works, but gets less out of its GPUs than it did or could.
*/
import {vllmMetric} from '../../catalog/vllm-metrics.js';
import type {Signals} from '../../derive/snapshot.js';
import {formatNumber, formatPercent} from '../alert-text.js';
import {throughputHint} from '../hints.js';
import {
	levelBelow,
	verdict,
	type RuleContext,
	type Verdict,
} from '../rule-context.js';
import {baselineMedian} from '../signal-history.js';
import {defineRule} from './rule-def.js';

const fraction = (value: number) =>
	({default: value, unit: 'fraction'}) as const;
const seconds = (value: number) => ({default: value, unit: 'seconds'}) as const;

export const prefixCacheLow = defineRule({
	id: 'prefix_cache_low',
	severity: 'info',
	doc: 'prefix-cache hit rate < 40 % with prefix caching on',
	inputs: ['prefix_cache_hit_rate'],
	direction: 'below',
	settings: {value: fraction(0.4), clear: fraction(0.5), for: seconds(120)},
	promql: (q, t) =>
		`${q.signal('prefix_cache_hit_rate')} < ${t['value']} unless on (${q.by}) ${q.select(vllmMetric.cacheConfig, 'enable_prefix_caching="False"')}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const rate = signals.prefix_cache_hit_rate;
		if (
			rate === null ||
			context.input.cacheConfig?.enable_prefix_caching === false
		) {
			return {kind: 'clear'};
		}

		const {value, clear} = context.config.thresholds.prefix_cache_low;
		return verdict(
			levelBelow(rate, value, clear),
			`prefix cache hit rate ${formatPercent(rate)}, expected at least ${formatPercent(value)}`,
			'few prompts share a prefix: keep system prompts first and byte-identical, and send a conversation to the same replica',
		);
	},
});

export const throughputDrop = defineRule({
	id: 'throughput_drop',
	severity: 'warn',
	doc: 'generation tok/s < 50 % of its 5-minute median while requests run',
	inputs: [
		'generation_tokens_per_s',
		'prompt_tokens_per_s',
		'requests_running',
		'preemptions_per_s',
	],
	direction: 'below',
	settings: {
		value: fraction(0.5),
		clear: fraction(0.7),
		for: seconds(30),
		window: seconds(300),
	},
	promql(q, t) {
		const generation = q.signal('generation_tokens_per_s');
		return `${generation} < ${t['value']} * quantile_over_time(0.5, ${generation}[${t['window']}s:]) and ${q.signal('requests_running')} > 0`;
	},
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const generation = signals.generation_tokens_per_s;
		const running = signals.requests_running;
		if (generation === null || running === null || running <= 0) {
			return {kind: 'clear'};
		}

		const {value, clear, window} = context.config.thresholds.throughput_drop;
		const {at} = context.input;
		const usual = baselineMedian(
			context.history,
			entry => entry.generation_tokens_per_s,
			at,
			window,
		);
		if (usual === null || usual <= 0) {
			return {kind: 'clear'};
		}

		const promptUsual = baselineMedian(
			context.history,
			entry => entry.prompt_tokens_per_s,
			at,
			window,
		);
		return verdict(
			levelBelow(generation / usual, value, clear),
			`generation ${formatNumber(generation)} tok/s, ${formatPercent(generation / usual)} of its recent median ${formatNumber(usual)} tok/s with ${running} running`,
			throughputHint(context, signals, promptUsual),
		);
	},
});
