import assert from 'node:assert/strict';
import {test} from 'node:test';
import chalk from 'chalk';
import type {Signals} from '../source/derive/snapshot.js';
import type {Snapshot} from '../source/pipeline/snapshot.js';
import {formatOnceReport} from '../source/format/once-report.js';
import {formatMark, markFor} from '../source/format/severity-glyph.js';
import {nullSignals} from '../source/catalog/signal-types.js';

const nothing: Signals = nullSignals;

const at = Date.parse('2026-05-04T12:00:00.000Z');

function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
	return {
		schema: 1,
		target: 'http://gpu-box:8000',
		at: new Date(at).toISOString(),
		status: 'crit',
		server: {
			dialect: 'vllm',
			version: '0.11.0',
			models: ['meta-llama/Llama-3.1-8B-Instruct'],
			engines: ['0', '1'],
			generation: 'v1',
			started_at: null,
		},
		signals: {
			...nothing,
			requests_running: 48,
			requests_waiting: 52,
			kv_cache_usage: 0.934,
			prompt_tokens_per_s: 5234.5,
			generation_tokens_per_s: 876.2,
			prefix_cache_hit_rate: 0.42,
			spec_decode_acceptance_rate: 0.71,
			spec_decode_mean_acceptance_length: 2.4,
			ttft_seconds: {p50: 0.2, p90: null, p95: 0.912, p99: null, mean: null},
			itl_seconds: {p50: 0.02, p90: null, p95: 0.048, p99: null, mean: null},
		},
		cache_config: null,
		capacity: null,
		alerts: [
			{
				id: 'queue_backlog',
				severity: 'crit',
				state: 'firing',
				message:
					'52 waiting (> 10) and rising for 1 min: TTFT is about to blow up',
				hint: 'the queue grows faster than it drains: add replicas',
				since: at - 60_000,
			},
			{
				id: 'prefix_cache_low',
				severity: 'info',
				state: 'pending',
				message: 'prefix cache hit rate 42 %, expected at least 50 %',
				hint: 'few prompts share a prefix',
				since: at - 5000,
			},
			{
				id: 'restarted',
				severity: 'warn',
				state: 'resolved',
				message: 'counters went backwards: the server restarted',
				hint: 'look in the log',
				since: at - 90_000,
				until: at - 30_000,
			},
		],
		not_judged: [],
		batch_fill: null,
		per_engine: [],
		engine_spread: null,
		per_model: [],
		restarted: false,
		window_seconds: 60,
		error: null,
		...overrides,
	};
}

test('status line, key signals, firing and pending alerts with hints (resolved left out)', () => {
	assert.equal(
		formatOnceReport(snapshot(), {color: false}),
		[
			'✖ CRIT  http://gpu-box:8000  vLLM 0.11.0 (V1)  meta-llama/Llama-3.1-8B-Instruct  2 engines',
			'  requests  running 48  waiting 52  swapped --',
			'  kv cache  gpu 93.4%  cpu --',
			'  tokens/s  prompt 5235  generation 876',
			'  latency   TTFT p95 912ms  ITL/step p95 48ms  TPOT p95 --',
			'  cache     prefix hit 42.0%  spec decode 71.0% accepted, mean length 2.4',
			'  ✖ CRIT     queue_backlog: 52 waiting (> 10) and rising for 1 min: TTFT is about to blow up',
			'             hint: the queue grows faster than it drains: add replicas',
			'  … PENDING  prefix_cache_low: prefix cache hit rate 42 %, expected at least 50 %',
			'             hint: few prompts share a prefix',
		].join('\n'),
	);
});

test('missing data reads -- and a quiet server says so, in ASCII when asked', () => {
	const bare = snapshot({
		status: 'ok',
		server: {
			dialect: null,
			version: null,
			models: [],
			engines: [],
			generation: null,
			started_at: null,
		},
		signals: nothing,
		alerts: [],
	});
	assert.equal(
		formatOnceReport(bare, {color: false, ascii: true}),
		[
			'+ OK  http://gpu-box:8000  vLLM --  --',
			'  requests  running --  waiting --  swapped --',
			'  kv cache  gpu --  cpu --',
			'  tokens/s  prompt --  generation --',
			'  latency   TTFT p95 --  ITL p95 --',
			'  cache     prefix hit --  spec decode --',
			'  + OK no alerts',
		].join('\n'),
	);
});

test('a stale snapshot names the scrape error; down reads DOWN', () => {
	const report = formatOnceReport(
		snapshot({status: 'down', alerts: [], error: 'connection refused'}),
		{color: false},
	);
	const lines = report.split('\n');
	assert.equal(
		lines[0],
		'✖ DOWN  http://gpu-box:8000  vLLM 0.11.0 (V1)  meta-llama/Llama-3.1-8B-Instruct  2 engines',
	);
	assert.equal(lines[1], '  error     last scrape failed: connection refused');
});

test('colour repeats the glyph and word, never replaces them', () => {
	const {level} = chalk;
	chalk.level = 1;
	try {
		const report = formatOnceReport(snapshot(), {color: true});
		assert.ok(report.startsWith(`${chalk.red('✖ CRIT')}  http://gpu-box:8000`));
		assert.ok(
			report.includes(`  ${chalk.gray('… PENDING')}  prefix_cache_low:`),
		);
		assert.equal(
			formatMark(markFor('warn'), {color: true, pad: 8}),
			`${chalk.yellow('▲ WARN')}  `,
		);
	} finally {
		chalk.level = level;
	}
});
