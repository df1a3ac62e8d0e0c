/**
Efficiency rules: the server works, but gets less out of its GPUs than it did or could.
*/
import {vllmMetric} from '../../catalog/vllm-metrics.js';
import type {Signals} from '../../derive/snapshot.js';
import {formatNumber, formatPercent} from '../alert-text.js';
import {specDecodeHint, throughputHint} from '../hints.js';
import {
	levelBelow,
	verdict,
	type RuleContext,
	type Verdict,
} from '../rule-context.js';
import {baselineMedian} from '../signal-history.js';
import {defineRule} from './rule-def.js';
import {count, fraction, seconds} from './setting-units.js';

export const prefixCacheLow = defineRule({
	id: 'prefix_cache_low',
	severity: 'info',
	doc: 'prefix-cache hit rate < 40 % with prefix caching on, over at least 10,000 queried tokens in the window',
	inputs: ['prefix_cache_hit_rate', 'prefix_cache_queried_tokens'],
	direction: 'below',
	settings: {
		value: fraction(0.4),
		clear: fraction(0.5),
		for: seconds(120),
		min_queried_tokens: count(10_000),
	},
	promql: (q, t) =>
		`${q.signal('prefix_cache_hit_rate')} < ${t['value']} and on (${q.by}) ${q.signal('prefix_cache_queried_tokens')} >= ${t['min_queried_tokens']} unless on (${q.by}) ${q.select(vllmMetric.cacheConfig, 'enable_prefix_caching="False"')}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const rate = signals.prefix_cache_hit_rate;
		const settings = context.config.thresholds.prefix_cache_low;
		// A few requests say nothing about how often prompts share a prefix; a page without the volume is judged as before.
		const volume = signals.prefix_cache_queried_tokens;
		if (
			rate === null ||
			context.input.cacheConfig?.enable_prefix_caching === false ||
			(volume !== null && volume < settings.min_queried_tokens)
		) {
			return {kind: 'clear'};
		}

		const {value, clear} = settings;
		return verdict(
			levelBelow(rate, value, clear),
			`prefix cache hit rate ${formatPercent(rate)}, expected at least ${formatPercent(value)}`,
			'few prompts share a prefix: keep system prompts first and byte-identical, and send a conversation to the same replica',
		);
	},
});

export const specDecodeAcceptanceLow = defineRule({
	id: 'spec_decode_acceptance_low',
	severity: 'info',
	doc: 'spec decode acceptance rate < 30 %, over at least 5,000 draft tokens in the window',
	inputs: [
		'spec_decode_acceptance_rate',
		'spec_decode_draft_tokens',
		'spec_decode_acceptance_by_position',
	],
	direction: 'below',
	settings: {
		value: fraction(0.3),
		clear: fraction(0.4),
		for: seconds(120),
		min_draft_tokens: count(5000),
	},
	promql: (q, t) =>
		`${q.signal('spec_decode_acceptance_rate')} < ${t['value']} and on (${q.by}) ${q.signal('spec_decode_draft_tokens')} >= ${t['min_draft_tokens']}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const rate = signals.spec_decode_acceptance_rate;
		const settings = context.config.thresholds.spec_decode_acceptance_low;
		const volume = signals.spec_decode_draft_tokens;
		if (
			rate === null ||
			(volume !== null && volume < settings.min_draft_tokens)
		) {
			return {kind: 'clear'};
		}

		return verdict(
			levelBelow(rate, settings.value, settings.clear),
			`spec decode accepts ${formatPercent(rate)} of draft tokens, expected at least ${formatPercent(settings.value)}`,
			specDecodeHint(signals) ??
				'the drafter guesses poorly for this traffic: lower num_speculative_tokens in --speculative-config, or use a drafter trained for this model (EAGLE, MTP)',
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
