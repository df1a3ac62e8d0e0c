/**
Capacity rules: the queue, the KV cache and the sequence slots, and what happens when they run out (preemption, V0's
swapping to CPU).
*/
import type {Signals} from '../../derive/snapshot.js';
import {formatSpokenDuration} from '../../format/units.js';
import {formatNumber, formatPercent} from '../alert-text.js';
import {kvHint, preemptionHint, queueHint, saturatedHint} from '../hints.js';
import {
	levelAbove,
	verdict,
	type Level,
	type RuleContext,
	type Verdict,
} from '../rule-context.js';
import {isRising} from '../signal-history.js';
import {enginePrefix, worstEngine} from '../worst-engine.js';
import {defineRule} from './rule-def.js';
import {count, fraction, perSecond, seconds} from './setting-units.js';

const plural = (amount: number, word: string) =>
	`${amount} ${word}${amount === 1 ? '' : 's'}`;

export const queueBacklog = defineRule({
	id: 'queue_backlog',
	severity: 'warn',
	doc: "> 10 waiting on the worst engine; crit while the server's queue keeps rising for 60 s",
	inputs: ['requests_waiting', 'requests_waiting_by_reason'],
	direction: 'above',
	settings: {
		value: count(10),
		clear: count(5),
		for: seconds(30),
		rising_for: seconds(60),
	},
	promql: (q, t) => `${q.worst('requests_waiting')} > ${t['value']}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const worst = worstEngine(
			context.input,
			signals,
			own => own.requests_waiting,
		);
		if (worst === null) {
			return {kind: 'clear'};
		}

		const waiting = worst.value;
		const settings = context.config.thresholds.queue_backlog;
		const level = levelAbove(waiting, settings.value, settings.clear);
		const rising =
			waiting > settings.value &&
			isRising(
				context.history,
				entry => entry.requests_waiting,
				context.input.at,
				settings.rising_for,
				context.input.instant,
			);
		const what = rising
			? `${waiting} waiting (> ${settings.value}) and rising for ${formatSpokenDuration(settings.rising_for * 1000)}: TTFT is about to blow up`
			: `${plural(waiting, 'request')} waiting, limit ${settings.value}`;
		const message = `${enginePrefix(worst)}${what}`;
		return verdict(
			level,
			message,
			queueHint(context, signals, rising),
			rising ? 'crit' : 'warn',
		);
	},
});

export const kvCachePressure = defineRule({
	id: 'kv_cache_pressure',
	severity: 'warn',
	doc: 'KV-cache usage > 90 % on the worst engine',
	inputs: ['kv_cache_usage', 'preemptions_per_s'],
	direction: 'above',
	settings: {value: fraction(0.9), clear: fraction(0.85), for: seconds(300)},
	promql: (q, t) => `${q.worst('kv_cache_usage')} > ${t['value']}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const worst = worstEngine(
			context.input,
			signals,
			own => own.kv_cache_usage,
		);
		if (worst === null) {
			return {kind: 'clear'};
		}

		const usage = worst.value;
		const {value, clear} = context.config.thresholds.kv_cache_pressure;
		const preemptions = signals.preemptions_per_s ?? 0;
		const preempting =
			preemptions > 0 ? `, ${formatNumber(preemptions)} preemptions/s` : '';
		return verdict(
			levelAbove(usage, value, clear),
			`${enginePrefix(worst)}KV cache ${formatPercent(usage)} used, limit ${formatPercent(value)}${preempting}`,
			kvHint(context),
		);
	},
});

export const preemptions = defineRule({
	id: 'preemptions',
	severity: 'warn',
	doc: 'preemptions/s > 0',
	inputs: ['preemptions_per_s', 'kv_cache_usage'],
	direction: 'above',
	settings: {value: perSecond(0), clear: perSecond(0), for: seconds(30)},
	promql: (q, t) => `${q.signal('preemptions_per_s')} > ${t['value']}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const rate = signals.preemptions_per_s;
		if (rate === null) {
			return {kind: 'clear'};
		}

		const {value, clear} = context.config.thresholds.preemptions;
		const kv = signals.kv_cache_usage;
		return verdict(
			levelAbove(rate, value, clear),
			`${formatNumber(rate)} preemptions/s (KV cache ${kv === null ? '--' : formatPercent(kv)}): requests are evicted and recomputed`,
			preemptionHint(context, signals),
		);
	},
});

export const swapping = defineRule({
	id: 'swapping',
	severity: 'warn',
	doc: 'V0: requests swapped to CPU > 0',
	inputs: ['requests_swapped'],
	direction: 'above',
	settings: {value: count(0), clear: count(0), for: seconds(300)},
	promql: (q, t) => `${q.signal('requests_swapped')} > ${t['value']}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const swapped = signals.requests_swapped;
		if (swapped === null) {
			return {kind: 'clear'};
		}

		const {value, clear} = context.config.thresholds.swapping;
		return verdict(
			levelAbove(swapped, value, clear),
			`${plural(swapped, 'request')} swapped out to CPU (V0)`,
			`V0 swaps when GPU KV cache runs out; ${kvHint(context)}`,
		);
	},
});

export const cpuKvOverflow = defineRule({
	id: 'cpu_kv_overflow',
	severity: 'warn',
	doc: 'V0: CPU KV-cache usage > 0',
	inputs: ['cpu_kv_cache_usage'],
	direction: 'above',
	settings: {value: fraction(0), clear: fraction(0), for: seconds(0)},
	promql: (q, t) => `${q.signal('cpu_kv_cache_usage')} > ${t['value']}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const usage = signals.cpu_kv_cache_usage;
		if (usage === null) {
			return {kind: 'clear'};
		}

		const {value, clear} = context.config.thresholds.cpu_kv_overflow;
		return verdict(
			levelAbove(usage, value, clear),
			`CPU KV cache ${formatPercent(usage)} used (V0 swap space)`,
			`GPU KV cache overflowed to CPU; ${kvHint(context)}`,
		);
	},
});

export const saturated = defineRule({
	id: 'saturated',
	severity: 'warn',
	doc: "running = `--max-num-seqs` on the worst engine (or the server's running at the plateau learned while requests wait); no PromQL: no metric carries `--max-num-seqs`",
	inputs: ['requests_running', 'requests_waiting', 'kv_cache_usage'],
	direction: 'above',
	settings: {value: fraction(1), clear: fraction(0.9), for: seconds(60)},
	promql: null,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const slots = context.maxRunning;
		if (slots === null || slots.value <= 0) {
			return {kind: 'clear'};
		}

		// `--max-num-seqs` caps each engine; a learned plateau is the server's, so it is judged on the total.
		const perEngine =
			!slots.learned && (context.input.perEngine?.length ?? 0) > 1;
		const worst = perEngine
			? worstEngine(context.input, signals, own => own.requests_running)
			: signals.requests_running === null
				? null
				: {value: signals.requests_running, engine: null};
		const cap = perEngine
			? slots.value / Math.max(1, context.input.engineCount ?? 1)
			: slots.value;
		if (worst === null) {
			return {kind: 'clear'};
		}

		const running = worst.value;
		const {value, clear} = context.config.thresholds.saturated;
		const ratio = running / cap;
		// Running can only reach the cap, not pass it, so the fire test includes equality.
		const level: Level =
			ratio >= value ? 'fire' : ratio > clear ? 'hold' : 'clear';
		const source = slots.learned
			? 'learned from the running plateau'
			: '--max-num-seqs';
		const waiting = signals.requests_waiting;
		return verdict(
			level,
			`${enginePrefix(worst)}${running} of ${cap} sequence slots busy (${source}), ${waiting ?? '--'} waiting`,
			saturatedHint(signals),
		);
	},
});
