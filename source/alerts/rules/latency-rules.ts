/**
Latency rules: the waits a user feels, time to first token and time between tokens.
*/
import {formatMs, formatNumber} from '../alert-text.js';
import {itlHint, ttftHint} from '../hints.js';
import {specDecodeRunning} from '../../catalog/signal-types.js';
import type {Signals} from '../../derive/snapshot.js';
import {
	levelAbove,
	verdict,
	type RuleContext,
	type Verdict,
} from '../rule-context.js';
import {defineRule} from './rule-def.js';
import {ms, seconds} from './setting-units.js';

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
	doc: 'inter-token (V0: per-output-token) latency p95 > 30 ms; with spec decode, the per-request time per output token',
	inputs: ['itl_seconds', 'tpot_seconds', 'spec_decode_acceptance_rate'],
	direction: 'above',
	settings: {value: ms(30), clear: ms(25), for: seconds(60)},
	promql(q, t) {
		// TPOT first: the export compares the first signal a rule reads.
		const tpot = q.signal('tpot_seconds', 'p95');
		const spec = `on (${q.by}) ${q.signal('spec_decode_acceptance_rate')}`;
		return `(${tpot} * 1000 > ${t['value']} and ${spec}) or (${q.signal('itl_seconds', 'p95')} * 1000 > ${t['value']} unless ${spec})`;
	},
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const itl = signals.itl_seconds?.p95 ?? null;
		const tpot = signals.tpot_seconds?.p95 ?? null;
		const {value, clear} = context.config.thresholds.itl_p95_high;
		// With spec decode an engine step emits several tokens, so ITL (per step) overstates what a user waits per token.
		if (specDecodeRunning(signals) && tpot !== null) {
			return verdict(
				levelAbove(tpot * 1000, value, clear),
				`time per output token p95 ${formatMs(tpot)} per request (ITL ${itl === null ? '--' : formatMs(itl)} per engine step of several tokens), limit ${formatNumber(value)} ms`,
				itlHint(context, signals),
			);
		}

		if (itl === null) {
			return {kind: 'clear'};
		}

		return verdict(
			levelAbove(itl * 1000, value, clear),
			`inter-token latency p95 ${formatMs(itl)}, limit ${formatNumber(value)} ms`,
			itlHint(context, signals),
		);
	},
});
