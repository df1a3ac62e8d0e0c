/**
Latency rules: the waits a user feels, time to first token and time between tokens.
*/
import {formatMs, formatNumber} from '../alert-text.js';
import {itlHint, ttftHint} from '../hints.js';
import type {Signals} from '../../derive/snapshot.js';
import {
	levelAbove,
	verdict,
	type RuleContext,
	type Verdict,
} from '../rule-context.js';
import {defineRule} from './rule-def.js';

const ms = (value: number) => ({default: value, unit: 'ms'}) as const;
const seconds = (value: number) => ({default: value, unit: 'seconds'}) as const;

export const ttftP95High = defineRule({
	id: 'ttft_p95_high',
	severity: 'warn',
	doc: 'TTFT p95 > 500 ms',
	inputs: ['ttft_seconds'],
	direction: 'above',
	settings: {value: ms(500), clear: ms(400), for: seconds(60)},
	promql: (q, t) => `${q.signal('ttft_seconds', 'p95')} * 1000 > ${t['value']}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const p95 = signals.ttft_seconds?.p95 ?? null;
		if (p95 === null) {
			return {kind: 'clear'};
		}

		const {value, clear} = context.config.thresholds.ttft_p95_high;
		return verdict(
			levelAbove(p95 * 1000, value, clear),
			`TTFT p95 ${formatMs(p95)}, limit ${formatNumber(value)} ms`,
			ttftHint(context, signals),
		);
	},
});

export const itlP95High = defineRule({
	id: 'itl_p95_high',
	severity: 'warn',
	doc: 'inter-token (V0: per-output-token) latency p95 > 30 ms',
	inputs: ['itl_seconds'],
	direction: 'above',
	settings: {value: ms(30), clear: ms(25), for: seconds(60)},
	promql: (q, t) => `${q.signal('itl_seconds', 'p95')} * 1000 > ${t['value']}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const p95 = signals.itl_seconds?.p95 ?? null;
		if (p95 === null) {
			return {kind: 'clear'};
		}

		const {value, clear} = context.config.thresholds.itl_p95_high;
		return verdict(
			levelAbove(p95 * 1000, value, clear),
			`inter-token latency p95 ${formatMs(p95)}, limit ${formatNumber(value)} ms`,
			itlHint(context, signals),
		);
	},
});
