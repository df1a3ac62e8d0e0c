import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Alert} from '../source/alerts/alert.js';
import type {AlertInput, AlertMemory} from '../source/alerts/alert-input.js';
import {
	evaluateAlerts,
	type AlertEvaluation,
} from '../source/alerts/evaluate-alerts.js';
import {
	defaultAlertConfig,
	type AlertConfig,
} from '../source/alerts/alert-config.js';
import type {CacheConfig, Signals} from '../source/derive/snapshot.js';
import {exitCodeFor} from '../source/format/exit-code.js';
import {nullSignals} from '../source/catalog/signal-types.js';

const start = Date.parse('2026-05-04T12:00:00.000Z');
const step = 5000;

const nothing: Signals = nullSignals;

const p95 = (seconds: number) => ({
	p50: null,
	p90: null,
	p95: seconds,
	p99: null,
	mean: null,
});

const cache = (overrides: Partial<CacheConfig> = {}): CacheConfig => ({
	block_size: 16,
	num_gpu_blocks: 8192,
	kv_cache_size_tokens: 131_072,
	block_tokens: 131_072,
	mamba_block_size: null,
	enable_prefix_caching: true,
	gpu_memory_utilization: 0.9,
	cache_dtype: 'auto',
	...overrides,
});

type Scrape = {
	readonly signals: Partial<Signals> | null;
	readonly input?: Partial<AlertInput>;
};

function baseInput(at: number, signals: Signals | null): AlertInput {
	return {
		at,
		signals,
		recent: [],
		cacheConfig: cache(),
		scrapeError:
			signals === null
				? 'GET http://gpu:8000/metrics: connection refused'
				: null,
		health: 'ok',
		restarted: false,
		hasVllmMetrics: true,
		deprecatedNames: [],
		instant: false,
	};
}

/** Feeds scrapes 5 s apart with bounded history, as the poller does, and returns every evaluation. */
function run(
	scrapes: readonly Scrape[],
	config: AlertConfig = defaultAlertConfig,
): AlertEvaluation[] {
	let memory: AlertMemory | undefined;
	let recent: Array<{at: number; signals: Signals}> = [];
	const results: AlertEvaluation[] = [];
	for (const [index, scrape] of scrapes.entries()) {
		const at = start + index * step;
		const signals =
			scrape.signals === null ? null : {...nothing, ...scrape.signals};
		if (signals !== null) {
			recent = [...recent, {at, signals}].slice(-120);
		}

		const result = evaluateAlerts(
			memory,
			{...baseInput(at, signals), recent, ...scrape.input},
			config,
		);
		memory = result.memory;
		results.push(result);
	}

	return results;
}

function instant(
	signals: Partial<Signals>,
	input: Partial<AlertInput> = {},
	config = defaultAlertConfig,
) {
	return evaluateAlerts(
		undefined,
		{...baseInput(start, {...nothing, ...signals}), instant: true, ...input},
		config,
	);
}

const repeat = (count: number, scrape: Scrape): Scrape[] =>
	Array.from({length: count}, () => scrape);
const find = (
	result: AlertEvaluation | undefined,
	id: string,
): Alert | undefined => result?.alerts.find(alert => alert.id === id);

describe('state machine: for-duration, hysteresis, resolved tail', () => {
	test('kv_cache_pressure pends for 5 min, fires, holds in the band, resolves under clear, then drops', () => {
		const results = run([
			...repeat(61, {signals: {kv_cache_usage: 0.95}}), // 0 s .. 300 s
			...repeat(4, {signals: {kv_cache_usage: 0.87}}), // band: keeps firing
			{signals: {kv_cache_usage: 0.84}}, // under clear
			...repeat(13, {signals: {kv_cache_usage: 0.5}}),
		]);
		assert.equal(find(results[0], 'kv_cache_pressure')?.state, 'pending');
		assert.equal(results[0]?.status, 'ok');
		assert.equal(find(results[59], 'kv_cache_pressure')?.state, 'pending');
		const firing = find(results[60], 'kv_cache_pressure');
		assert.equal(firing?.state, 'firing');
		assert.equal(firing?.since, start);
		assert.equal(firing?.severity, 'warn');
		assert.match(firing?.message ?? '', /KV cache 95 % used, limit 90 %/);
		assert.equal(results[60]?.status, 'warn');
		assert.equal(find(results[64], 'kv_cache_pressure')?.state, 'firing');
		const resolved = find(results[65], 'kv_cache_pressure');
		assert.equal(resolved?.state, 'resolved');
		assert.equal(resolved?.until, start + 65 * step);
		assert.equal(results[65]?.status, 'ok');
		assert.equal(
			find(results[77], 'kv_cache_pressure')?.state,
			'resolved',
			'listed for 60 s',
		);
		assert.equal(
			find(results[78], 'kv_cache_pressure'),
			undefined,
			'dropped after 60 s',
		);
	});

	test('a pending alert in the hysteresis band stays pending and fires only when over the threshold again', () => {
		const results = run([
			{signals: {kv_cache_usage: 0.95}},
			...repeat(70, {signals: {kv_cache_usage: 0.87}}),
			{signals: {kv_cache_usage: 0.95}},
		]);
		assert.equal(find(results[70], 'kv_cache_pressure')?.state, 'pending');
		const fired = find(results[71], 'kv_cache_pressure');
		assert.equal(fired?.state, 'firing');
		assert.equal(fired?.since, start);
	});

	test('a pending alert that clears is dropped without a resolved entry', () => {
		const results = run([
			{signals: {kv_cache_usage: 0.95}},
			{signals: {kv_cache_usage: 0.5}},
		]);
		assert.equal(find(results[1], 'kv_cache_pressure'), undefined);
	});

	test('instant mode judges on this scrape alone: no for, no band', () => {
		const firing = instant({kv_cache_usage: 0.95});
		assert.equal(find(firing, 'kv_cache_pressure')?.state, 'firing');
		assert.equal(firing.status, 'warn');
		assert.equal(exitCodeFor(firing.status), 1);
		assert.equal(
			find(instant({kv_cache_usage: 0.87}), 'kv_cache_pressure'),
			undefined,
		);
	});

	test('disabled rules never fire', () => {
		const result = instant(
			{kv_cache_usage: 0.99},
			{},
			{...defaultAlertConfig, disabled: ['kv_cache_pressure']},
		);
		assert.equal(find(result, 'kv_cache_pressure'), undefined);
		assert.equal(result.status, 'ok');
	});

	test('alerts are ordered firing before pending, crit before warn before info', () => {
		const results = run([
			{
				signals: {
					kv_cache_usage: 0.95,
					prefix_cache_hit_rate: 0.1,
					sleep_state: 'weights_offloaded',
				},
			},
			{
				signals: {
					kv_cache_usage: 0.95,
					prefix_cache_hit_rate: 0.1,
					sleep_state: 'weights_offloaded',
				},
				input: {health: 'unhealthy'},
			},
		]);
		assert.deepEqual(
			results[1]?.alerts.map(
				alert => `${alert.state}:${alert.severity}:${alert.id}`,
			),
			[
				'firing:crit:engine_unhealthy',
				'firing:warn:sleeping',
				'pending:warn:kv_cache_pressure',
				'pending:info:prefix_cache_low',
			],
		);
		assert.equal(results[1]?.status, 'crit');
		assert.equal(exitCodeFor('crit'), 2);
	});
});

describe('latency rules and their hints', () => {
	test('ttft_p95_high fires after its for and picks the queue hint when requests wait', () => {
		const results = run(
			repeat(13, {signals: {ttft_seconds: p95(0.9), requests_waiting: 25}}),
		);
		assert.equal(find(results[11], 'ttft_p95_high')?.state, 'pending');
		const alert = find(results[12], 'ttft_p95_high');
		assert.equal(alert?.state, 'firing');
		assert.equal(alert?.message, 'TTFT p95 900 ms, limit 500 ms');
		assert.match(
			alert?.hint ?? '',
			/--enable-chunked-prefill, lower --max-model-len/,
		);
	});

	test('queue hints suggest --enable-chunked-prefill on V0 and an unknown engine, never on V1, which always chunks', () => {
		const queueing = {ttft_seconds: p95(1), requests_waiting: 25};
		const hint = (generation: 'v0' | 'v1' | null) =>
			find(instant(queueing, {generation}), 'ttft_p95_high')?.hint ?? '';
		assert.match(hint('v0'), /--enable-chunked-prefill, lower --max-model-len/);
		assert.match(hint(null), /--enable-chunked-prefill, lower --max-model-len/);
		assert.doesNotMatch(hint('v1'), /chunked/);
		assert.match(hint('v1'), /lower --max-model-len, or add replicas/);
		const waiting = (generation: 'v0' | 'v1') =>
			find(instant({requests_waiting: 25}, {generation}), 'queue_backlog')
				?.hint ?? '';
		assert.match(waiting('v0'), /--enable-chunked-prefill/);
		assert.doesNotMatch(waiting('v1'), /chunked/);
	});

	test('ttft hint: long prompts -> --max-num-batched-tokens', () => {
		const alert = find(
			instant({
				ttft_seconds: p95(1),
				prefill_seconds: p95(0.8),
				requests_waiting: 0,
			}),
			'ttft_p95_high',
		);
		assert.match(alert?.hint ?? '', /raise --max-num-batched-tokens/);
	});

	test('ttft hint: prefix caching off -> --enable-prefix-caching', () => {
		const alert = find(
			instant(
				{ttft_seconds: p95(1), requests_waiting: 0},
				{cacheConfig: cache({enable_prefix_caching: false})},
			),
			'ttft_p95_high',
		);
		assert.match(alert?.hint ?? '', /--enable-prefix-caching/);
	});

	test('ttft stays quiet under the limit and when no requests finished (null)', () => {
		assert.equal(
			find(instant({ttft_seconds: p95(0.45)}), 'ttft_p95_high'),
			undefined,
		);
		assert.equal(
			find(instant({ttft_seconds: null}), 'ttft_p95_high'),
			undefined,
		);
	});

	test('itl hint: a crowded batch -> lower --max-num-seqs or fp8 KV; a small batch -> NVLink and NCCL', () => {
		const config = {...defaultAlertConfig, maxNumSeqs: 64};
		const crowded = find(
			instant({itl_seconds: p95(0.05), requests_running: 60}, {}, config),
			'itl_p95_high',
		);
		assert.equal(
			crowded?.message,
			'inter-token latency p95 50 ms, limit 30 ms',
		);
		assert.match(
			crowded?.hint ?? '',
			/lower --max-num-seqs or --kv-cache-dtype fp8/,
		);
		const fp8 = find(
			instant(
				{itl_seconds: p95(0.05), requests_running: 60},
				{cacheConfig: cache({cache_dtype: 'fp8_e4m3'})},
				config,
			),
			'itl_p95_high',
		);
		assert.doesNotMatch(fp8?.hint ?? '', /kv-cache-dtype/);
		const small = find(
			instant({itl_seconds: p95(0.05), requests_running: 3}, {}, config),
			'itl_p95_high',
		);
		assert.match(small?.hint ?? '', /nvidia-smi topo -m/);
	});
});

describe('queue, KV and scheduler rules', () => {
	test('queue_backlog warns on a steady queue and turns crit while it keeps rising for a minute', () => {
		const steady = run(
			repeat(7, {signals: {requests_waiting: 15, requests_running: 8}}),
		);
		assert.equal(find(steady[5], 'queue_backlog')?.state, 'pending');
		const warn = find(steady[6], 'queue_backlog');
		assert.equal(warn?.state, 'firing');
		assert.equal(warn?.severity, 'warn');
		assert.equal(warn?.message, '15 requests waiting, limit 10');

		const rising = run(
			Array.from({length: 14}, (_, index) => ({
				signals: {requests_waiting: 11 + index * 3, requests_running: 8},
			})),
		);
		const crit = find(rising[13], 'queue_backlog');
		assert.equal(crit?.state, 'firing');
		assert.equal(crit?.severity, 'crit');
		assert.equal(
			crit?.message,
			'50 waiting (> 10) and rising for 1 min: TTFT is about to blow up',
		);
		assert.match(crit?.hint ?? '', /grows faster than it drains/);
		assert.equal(rising[13]?.status, 'crit');
		assert.notEqual(
			find(rising[8], 'queue_backlog')?.severity,
			'crit',
			'less than a minute of rising is not enough',
		);
	});

	test('queue_backlog hint names deferred requests when they dominate', () => {
		const alert = find(
			instant({
				requests_waiting: 20,
				requests_waiting_by_reason: {capacity: 2, deferred: 18},
			}),
			'queue_backlog',
		);
		assert.match(alert?.hint ?? '', /deferred \(LoRA budget, KV transfer\)/);
	});

	test('kv hint leaves out what is already done', () => {
		const plain = find(instant({kv_cache_usage: 0.95}), 'kv_cache_pressure');
		assert.equal(
			plain?.hint,
			'KV cache is the limit: quantize the weights (AWQ), --kv-cache-dtype fp8, raise --gpu-memory-utilization (now 0.9), or add GPUs (--tensor-parallel-size)',
		);
		const done = find(
			instant(
				{kv_cache_usage: 0.95},
				{
					cacheConfig: cache({
						cache_dtype: 'fp8',
						gpu_memory_utilization: 0.95,
					}),
				},
			),
			'kv_cache_pressure',
		);
		assert.equal(
			done?.hint,
			'KV cache is the limit: quantize the weights (AWQ), or add GPUs (--tensor-parallel-size)',
		);
	});

	test('preemptions fire after 30 s of a positive rate and resolve when it stops', () => {
		const results = run([
			...repeat(7, {signals: {preemptions_per_s: 0.5, kv_cache_usage: 0.97}}),
			{signals: {preemptions_per_s: 0}},
		]);
		assert.equal(find(results[5], 'preemptions')?.state, 'pending');
		assert.equal(find(results[6], 'preemptions')?.state, 'firing');
		assert.match(
			find(results[6], 'preemptions')?.message ?? '',
			/^0\.50 preemptions\/s \(KV cache 97 %\)/,
		);
		assert.equal(find(results[7], 'preemptions')?.state, 'resolved');
	});

	test('V0-only rules: swapping after 5 min, CPU KV at once; silent on V1 where the signals are null', () => {
		const results = run(
			repeat(61, {signals: {requests_swapped: 2, cpu_kv_cache_usage: 0.1}}),
		);
		assert.equal(find(results[0], 'cpu_kv_overflow')?.state, 'firing');
		assert.equal(find(results[59], 'swapping')?.state, 'pending');
		assert.equal(find(results[60], 'swapping')?.state, 'firing');
		assert.equal(
			find(results[60], 'swapping')?.message,
			'2 requests swapped out to CPU (V0)',
		);
		const v1 = run(
			repeat(61, {
				signals: {
					requests_swapped: null,
					cpu_kv_cache_usage: null,
					kv_cache_usage: 0.5,
				},
			}),
		);
		assert.deepEqual(v1[60]?.alerts, []);
	});

	test('saturated with --max-num-seqs per engine', () => {
		const config = {...defaultAlertConfig, maxNumSeqs: 8};
		const results = run(
			repeat(13, {
				signals: {
					requests_running: 16,
					requests_waiting: 4,
					kv_cache_usage: 0.5,
				},
				input: {engineCount: 2},
			}),
			config,
		);
		const alert = find(results[12], 'saturated');
		assert.equal(alert?.state, 'firing');
		assert.equal(
			alert?.message,
			'16 of 16 sequence slots busy (--max-num-seqs), 4 waiting',
		);
		assert.match(alert?.hint ?? '', /raise --max-num-seqs/);
		assert.equal(find(results[11], 'saturated')?.state, 'pending');
	});

	test('saturated learns the running plateau while requests wait, and forgets it when running goes higher', () => {
		const results = run([
			...repeat(3, {signals: {requests_running: 10, requests_waiting: 0}}),
			...repeat(16, {
				signals: {
					requests_running: 24,
					requests_waiting: 6,
					kv_cache_usage: 0.95,
				},
			}),
			{signals: {requests_running: 30, requests_waiting: 0}},
		]);
		assert.equal(
			results[4]?.memory.learnedMaxRunning,
			null,
			'two scrapes are not a plateau',
		);
		assert.equal(results[5]?.memory.learnedMaxRunning, 24);
		assert.equal(
			find(results[16], 'saturated')?.state,
			'pending',
			'pending from the scrape it was learned on',
		);
		const alert = find(results[17], 'saturated');
		assert.equal(alert?.state, 'firing');
		assert.match(alert?.message ?? '', /learned from the running plateau/);
		assert.match(alert?.hint ?? '', /both full/);
		assert.equal(results[19]?.memory.learnedMaxRunning, null);
	});

	test('prefix_cache_low is info: listed, but the status stays ok; off when prefix caching is disabled', () => {
		const low = instant({prefix_cache_hit_rate: 0.2});
		const alert = find(low, 'prefix_cache_low');
		assert.equal(alert?.severity, 'info');
		assert.equal(
			alert?.message,
			'prefix cache hit rate 20 %, expected at least 40 %',
		);
		assert.equal(low.status, 'ok');
		assert.equal(exitCodeFor(low.status), 0);
		const off = instant(
			{prefix_cache_hit_rate: 0.2},
			{cacheConfig: cache({enable_prefix_caching: false})},
		);
		assert.equal(find(off, 'prefix_cache_low'), undefined);
	});

	test('throughput_drop compares generation tok/s with its recent median while requests run', () => {
		const busy = {
			requests_running: 20,
			generation_tokens_per_s: 1000,
			prompt_tokens_per_s: 2000,
		};
		const results = run([
			...repeat(20, {signals: busy}),
			...repeat(7, {signals: {...busy, generation_tokens_per_s: 300}}),
		]);
		assert.equal(find(results[20], 'throughput_drop')?.state, 'pending');
		const alert = find(results[26], 'throughput_drop');
		assert.equal(alert?.state, 'firing');
		assert.equal(
			alert?.message,
			'generation 300 tok/s, 30 % of its recent median 1000 tok/s with 20 running',
		);
		assert.equal(
			alert?.hint,
			'batch filled with small requests: check client max_tokens',
		);

		const spike = run([
			...repeat(20, {signals: busy}),
			{
				signals: {
					...busy,
					generation_tokens_per_s: 300,
					prompt_tokens_per_s: 9000,
				},
			},
		]);
		assert.match(
			find(spike[20], 'throughput_drop')?.hint ?? '',
			/long prompts are stalling decode/,
		);

		const idle = run([
			...repeat(20, {signals: busy}),
			{signals: {...busy, requests_running: 0, generation_tokens_per_s: 0}},
		]);
		assert.equal(find(idle[20], 'throughput_drop'), undefined);
	});
});

describe('target-level rules', () => {
	test('down: status down, exit 3, signal alerts kept but hidden, back with their since after recovery', () => {
		const results = run([
			...repeat(3, {signals: {kv_cache_usage: 0.95}}),
			{signals: null},
			{signals: {kv_cache_usage: 0.95}},
		]);
		const down = results[3];
		assert.equal(down?.status, 'down');
		assert.equal(exitCodeFor(down?.status ?? 'unknown'), 3);
		const alert = find(down, 'down');
		assert.equal(alert?.severity, 'crit');
		assert.equal(
			alert?.message,
			'scrape failed: GET http://gpu:8000/metrics: connection refused',
		);
		assert.match(
			alert?.hint ?? '',
			/opens its port only after the model has loaded/,
		);
		assert.equal(find(down, 'kv_cache_pressure'), undefined);
		assert.equal(down?.memory.alerts.kv_cache_pressure?.since, start);
		assert.equal(find(results[4], 'kv_cache_pressure')?.since, start);
		assert.equal(find(results[4], 'down')?.state, 'resolved');
	});

	test('down hints by cause', () => {
		const hint = (scrapeError: string) =>
			find(
				evaluateAlerts(
					undefined,
					{...baseInput(start, null), scrapeError},
					defaultAlertConfig,
				),
				'down',
			)?.hint;
		assert.match(hint('timeout after 5000 ms') ?? '', /raise --timeout/);
		assert.match(hint('HTTP 401 Unauthorized') ?? '', /--api-key/);
		assert.match(hint('HTTP 404 Not Found') ?? '', /API port/);
	});

	test('engine_unhealthy is crit; an unknown health keeps the last state', () => {
		const results = run([
			{signals: {}, input: {health: 'unhealthy'}},
			{signals: {}, input: {health: 'unknown'}},
			{signals: {}},
		]);
		assert.equal(
			find(results[0], 'engine_unhealthy')?.message,
			'/health answers 503: the engine is dead',
		);
		assert.equal(results[0]?.status, 'crit');
		assert.equal(find(results[1], 'engine_unhealthy')?.state, 'firing');
		assert.equal(find(results[2], 'engine_unhealthy')?.state, 'resolved');
	});

	test('restarted stays up for its hold, then resolves', () => {
		const results = run([
			{signals: {}, input: {restarted: true}},
			...repeat(12, {signals: {}}),
		]);
		assert.equal(find(results[0], 'restarted')?.state, 'firing');
		assert.equal(find(results[11], 'restarted')?.state, 'firing');
		assert.equal(find(results[12], 'restarted')?.state, 'resolved');
	});

	test('sleeping, no_vllm_metrics and deprecated_names', () => {
		assert.equal(
			find(instant({sleep_state: 'discard_all'}), 'sleeping')?.message,
			'the engine is asleep (level 2: weights discarded)',
		);
		assert.equal(find(instant({sleep_state: 'awake'}), 'sleeping'), undefined);
		const bare = instant({}, {hasVllmMetrics: false});
		assert.match(
			find(bare, 'no_vllm_metrics')?.hint ?? '',
			/--disable-log-stats/,
		);
		assert.equal(bare.status, 'warn');
		const old = instant({}, {deprecatedNames: ['vllm:gpu_cache_usage_perc']});
		const alert = find(old, 'deprecated_names');
		assert.equal(alert?.severity, 'info');
		assert.equal(
			alert?.message,
			'the server exposes deprecated name vllm:gpu_cache_usage_perc',
		);
		assert.match(
			alert?.hint ?? '',
			/vllm:gpu_cache_usage_perc -> vllm:kv_cache_usage_perc/,
		);
		assert.equal(old.status, 'ok');
	});

	test('exit codes', () => {
		assert.deepEqual(
			(['ok', 'warn', 'crit', 'down', 'unknown'] as const).map(status =>
				exitCodeFor(status),
			),
			[0, 1, 2, 3, 3],
		);
	});
});
