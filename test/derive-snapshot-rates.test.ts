import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	deriveSnapshot,
	type DeriveMemory,
} from '../source/derive/derive-snapshot.js';
import type {Observation} from '../source/derive/snapshot.js';
import {readingsOf, maxReadings} from '../source/derive/derive-memory.js';
import type {Page} from '../source/parse/page.js';
import {parseExposition} from '../source/parse/parse-exposition.js';

const t0 = Date.parse('2026-08-20T12:00:00.000Z');
const model = 'model_name="m"';

function page(text: string): Page {
	const result = parseExposition(`${text.trim()}\n`, 'text');
	assert.ok(
		result.ok,
		result.ok ? '' : `${result.error} (line ${result.line})`,
	);
	return result.page;
}

type Counters = {
	readonly prompt: readonly [number, number];
	readonly generation: readonly [number, number];
	readonly stop: readonly [number, number];
	readonly length: readonly [number, number];
	readonly preemptions: readonly [number, number];
	readonly created?: number;
};

/** A V1 page with two engines and the counters given per engine. */
function v1Page(counters: Counters): Page {
	const lines = ['# TYPE vllm:prompt_tokens_total counter'];
	for (const engine of [0, 1] as const) {
		lines.push(
			`vllm:prompt_tokens_total{engine="${engine}",${model}} ${counters.prompt[engine]}`,
		);
	}

	lines.push('# TYPE vllm:prompt_tokens_created gauge');
	for (const engine of [0, 1] as const) {
		lines.push(
			`vllm:prompt_tokens_created{engine="${engine}",${model}} ${counters.created ?? 1000}`,
		);
	}

	lines.push('# TYPE vllm:generation_tokens_total counter');
	for (const engine of [0, 1] as const) {
		lines.push(
			`vllm:generation_tokens_total{engine="${engine}",${model}} ${counters.generation[engine]}`,
		);
	}

	lines.push('# TYPE vllm:request_success_total counter');
	for (const engine of [0, 1] as const) {
		lines.push(
			`vllm:request_success_total{engine="${engine}",finished_reason="stop",${model}} ${counters.stop[engine]}`,
			`vllm:request_success_total{engine="${engine}",finished_reason="length",${model}} ${counters.length[engine]}`,
		);
	}

	lines.push('# TYPE vllm:num_preemptions_total counter');
	for (const engine of [0, 1] as const) {
		lines.push(
			`vllm:num_preemptions_total{engine="${engine}",${model}} ${counters.preemptions[engine]}`,
		);
	}

	return page(lines.join('\n'));
}

function derive(
	memory: DeriveMemory | undefined,
	input: Page,
	at: number,
	windowSeconds = 60,
) {
	return deriveSnapshot(memory, {page: input, at, target: 't', windowSeconds});
}

function close(actual: number | null | undefined, expected: number): void {
	assert.ok(
		typeof actual === 'number',
		`expected ${expected}, got ${String(actual)}`,
	);
	assert.ok(
		Math.abs(actual - expected) < 1e-9,
		`expected ${expected}, got ${actual}`,
	);
}

function engineSignals(observation: Observation, engine: string) {
	const row = observation.per_engine.find(entry => entry.engine === engine);
	assert.ok(row);
	return row.signals;
}

const firstCounters: Counters = {
	prompt: [1000, 2000],
	generation: [500, 100],
	stop: [10, 5],
	length: [1, 0],
	preemptions: [0, 0],
};

test('rates are counter increases since the previous scrape, summed over engines and split per engine', () => {
	const first = derive(undefined, v1Page(firstCounters), t0);
	assert.equal(first.observation.signals.prompt_tokens_per_s, null);
	assert.equal(first.observation.signals.requests_per_s, null);
	const second = derive(
		first.memory,
		v1Page({
			prompt: [1500, 2250],
			generation: [600, 200],
			stop: [14, 6],
			length: [2, 0],
			preemptions: [0, 3],
		}),
		t0 + 5000,
	);
	const {signals} = second.observation;
	close(signals.prompt_tokens_per_s, 150);
	close(signals.generation_tokens_per_s, 40);
	close(signals.requests_per_s, 1.2);
	assert.deepEqual(signals.requests_per_s_by_reason, {stop: 1, length: 0.2});
	close(signals.preemptions_per_s, 0.6);
	close(engineSignals(second.observation, '0').prompt_tokens_per_s, 100);
	close(engineSignals(second.observation, '1').prompt_tokens_per_s, 50);
	close(engineSignals(second.observation, '1').preemptions_per_s, 0.6);
	assert.equal(second.observation.restarted, false);
});

test('a counter that went down is a restart: its increase is its new value, never a negative rate', () => {
	const first = derive(undefined, v1Page(firstCounters), t0);
	const second = derive(
		first.memory,
		v1Page({...firstCounters, prompt: [100, 2050]}),
		t0 + 5000,
	);
	assert.equal(second.observation.restarted, true);
	close(second.observation.signals.prompt_tokens_per_s, (100 + 50) / 5);
	close(engineSignals(second.observation, '0').prompt_tokens_per_s, 20);
	const third = derive(
		second.memory,
		v1Page({...firstCounters, prompt: [200, 2100]}),
		t0 + 10_000,
	);
	assert.equal(third.observation.restarted, false);
	close(third.observation.signals.prompt_tokens_per_s, (100 + 50) / 5);
});

test('a changed _created value is a restart even when the counters grew past their old values', () => {
	const first = derive(undefined, v1Page(firstCounters), t0);
	const second = derive(
		first.memory,
		v1Page({...firstCounters, prompt: [1100, 2100], created: 2000}),
		t0 + 5000,
	);
	assert.equal(second.observation.restarted, true);
	close(second.observation.signals.prompt_tokens_per_s, (1100 + 2100) / 5);
});

test('a series that appears between scrapes (V0 creates finish reasons lazily) counts from zero', () => {
	const before = page(`
# TYPE vllm:request_success_total counter
vllm:request_success_total{finished_reason="stop",${model}} 3
`);
	const after = page(`
# TYPE vllm:request_success_total counter
vllm:request_success_total{finished_reason="stop",${model}} 4
vllm:request_success_total{finished_reason="length",${model}} 2
`);
	const first = derive(undefined, before, t0);
	const second = derive(first.memory, after, t0 + 5000);
	assert.deepEqual(second.observation.signals.requests_per_s_by_reason, {
		stop: 0.2,
		length: 0.4,
	});
	assert.equal(second.observation.restarted, false);
});

function ttftPage(
	engines: ReadonlyArray<{
		buckets: readonly [number, number, number, number];
		sum: number;
	}>,
): Page {
	const bounds = ['0.1', '0.5', '1.0', '+Inf'];
	const lines = ['# TYPE vllm:time_to_first_token_seconds histogram'];
	for (const [engine, {buckets, sum}] of engines.entries()) {
		for (const [index, bound] of bounds.entries()) {
			lines.push(
				`vllm:time_to_first_token_seconds_bucket{engine="${engine}",le="${bound}",${model}} ${buckets[index]!}`,
			);
		}

		lines.push(
			`vllm:time_to_first_token_seconds_count{engine="${engine}",${model}} ${buckets[3]}`,
			`vllm:time_to_first_token_seconds_sum{engine="${engine}",${model}} ${sum}`,
		);
	}

	return page(lines.join('\n'));
}

test('latency quantiles come from bucket increases over the window, summed over engines by le', () => {
	const first = derive(
		undefined,
		ttftPage([
			{buckets: [1, 2, 2, 2], sum: 0.6},
			{buckets: [0, 0, 0, 0], sum: 0},
		]),
		t0,
	);
	assert.deepEqual(first.observation.signals.ttft_seconds, {
		p50: null,
		p90: null,
		p95: null,
		p99: null,
		mean: null,
	});
	const second = derive(
		first.memory,
		ttftPage([
			{buckets: [6, 17, 22, 22], sum: 10.6},
			{buckets: [5, 15, 20, 20], sum: 6},
		]),
		t0 + 60_000,
	);
	const ttft = second.observation.signals.ttft_seconds;
	close(ttft?.p50, 0.3);
	close(ttft?.p95, 0.9);
	close(ttft?.p99, 0.98);
	close(ttft?.mean, 16 / 40);
	// Engine 0 alone: increases 5, 15, 20, 20 -> rank 10 in (0.1, 0.5] -> 0.1 + 0.4 * 5/10.
	close(engineSignals(second.observation, '0').ttft_seconds?.p50, 0.3);
	close(engineSignals(second.observation, '0').ttft_seconds?.mean, 10 / 20);
	assert.equal(second.observation.signals.itl_seconds, null);
});

test('the window start is the stored reading closest to at - window', () => {
	const zero = ttftPage([{buckets: [0, 0, 0, 0], sum: 0}]);
	const half = ttftPage([{buckets: [10, 10, 10, 10], sum: 1}]);
	const full = ttftPage([{buckets: [10, 10, 20, 20], sum: 11}]);
	const a = derive(undefined, zero, t0, 60);
	const b = derive(a.memory, half, t0 + 30_000, 60);
	const sixty = derive(b.memory, full, t0 + 60_000, 60);
	close(sixty.observation.signals.ttft_seconds?.mean, 11 / 20);
	const thirty = derive(b.memory, full, t0 + 60_000, 30);
	close(thirty.observation.signals.ttft_seconds?.mean, 10 / 10);
	// Deriving twice from the same memory gives the same answer: memories are never changed.
	const again = derive(b.memory, full, t0 + 60_000, 60);
	close(again.observation.signals.ttft_seconds?.mean, 11 / 20);
	assert.equal(readingsOf(b.memory).length, 2);
});

test('V0: TPOT stands in for ITL, the prefix-cache gauge ignores -1, swapped and CPU cache are read', () => {
	const v0 = (
		tpot: readonly [number, number, number],
		sum: number,
		hitRate: number,
	) =>
		page(`
# TYPE vllm:num_requests_swapped gauge
vllm:num_requests_swapped{${model}} 2.0
# TYPE vllm:gpu_cache_usage_perc gauge
vllm:gpu_cache_usage_perc{${model}} 0.5
# TYPE vllm:cpu_cache_usage_perc gauge
vllm:cpu_cache_usage_perc{${model}} 0.1
# TYPE vllm:gpu_prefix_cache_hit_rate gauge
vllm:gpu_prefix_cache_hit_rate{${model}} ${hitRate}
# TYPE vllm:time_per_output_token_seconds histogram
vllm:time_per_output_token_seconds_bucket{le="0.01",${model}} ${tpot[0]}
vllm:time_per_output_token_seconds_bucket{le="0.025",${model}} ${tpot[1]}
vllm:time_per_output_token_seconds_bucket{le="+Inf",${model}} ${tpot[2]}
vllm:time_per_output_token_seconds_count{${model}} ${tpot[2]}
vllm:time_per_output_token_seconds_sum{${model}} ${sum}
`);
	const first = derive(undefined, v0([0, 0, 0], 0, -1), t0);
	assert.equal(first.observation.server.generation, 'v0');
	assert.equal(first.observation.signals.prefix_cache_hit_rate, null);
	const second = derive(first.memory, v0([4, 8, 8], 0.12, 0.25), t0 + 5000);
	const {signals} = second.observation;
	assert.equal(signals.requests_swapped, 2);
	assert.equal(signals.kv_cache_usage, 0.5);
	assert.equal(signals.cpu_kv_cache_usage, 0.1);
	assert.equal(signals.prefix_cache_hit_rate, 0.25);
	// rank 4 of 8 -> the top of the first bucket; rank 7.6 -> 0.01 + 0.015 * 3.6/4.
	close(signals.itl_seconds?.p50, 0.01);
	close(signals.itl_seconds?.p95, 0.01 + (0.015 * 3.6) / 4);
	close(signals.itl_seconds?.mean, 0.015);
});

test('V1 prefix-cache hit rate is the ratio of counter increases over the window', () => {
	const prefix = (queries: number, hits: number) =>
		page(`
# TYPE vllm:prefix_cache_queries_total counter
vllm:prefix_cache_queries_total{engine="0",${model}} ${queries}
# TYPE vllm:prefix_cache_hits_total counter
vllm:prefix_cache_hits_total{engine="0",${model}} ${hits}
# TYPE vllm:gpu_prefix_cache_hit_rate gauge
vllm:gpu_prefix_cache_hit_rate{${model}} 0.99
`);
	const first = derive(undefined, prefix(1000, 100), t0);
	close(first.observation.signals.prefix_cache_hit_rate, 0.1);
	const second = derive(first.memory, prefix(2000, 900), t0 + 5000);
	close(second.observation.signals.prefix_cache_hit_rate, 0.8);
});

test('families missing from the page are null, never 0', () => {
	const only = derive(
		undefined,
		page(`vllm:num_requests_running{${model}} 3`),
		t0,
	);
	const {signals} = only.observation;
	assert.equal(signals.requests_running, 3);
	for (const [key, value] of Object.entries(signals)) {
		if (key !== 'requests_running') {
			assert.equal(value, null, key);
		}
	}

	assert.equal(only.observation.cache_config, null);
	assert.equal(only.observation.capacity?.kv_pool_tokens, null);
	assert.equal(only.observation.capacity?.concurrency_ceiling, null);
	const none = derive(
		undefined,
		page('process_start_time_seconds 1.7e9\nhttp_requests_total 4'),
		t0,
	);
	assert.equal(none.observation.capacity, null);
	assert.equal(none.observation.server.generation, null);
	assert.deepEqual(none.observation.per_engine, []);
	assert.deepEqual(none.observation.per_model, []);
	assert.equal(none.observation.signals.kv_cache_usage, null);
});

test('engine sleep state reports the deepest sleeping engine; LoRA takes the newest series', () => {
	const {observation} = derive(
		undefined,
		page(`
vllm:engine_sleep_state{engine="0",${model},sleep_state="awake"} 1
vllm:engine_sleep_state{engine="0",${model},sleep_state="weights_offloaded"} 0
vllm:engine_sleep_state{engine="1",${model},sleep_state="awake"} 0
vllm:engine_sleep_state{engine="1",${model},sleep_state="weights_offloaded"} 1
vllm:lora_requests_info{max_lora="2",running_lora_adapters="old",waiting_lora_adapters=""} 100
vllm:lora_requests_info{max_lora="2",running_lora_adapters="a,b",waiting_lora_adapters="c"} 200
`),
		t0,
	);
	assert.equal(observation.signals.sleep_state, 'weights_offloaded');
	assert.equal(engineSignals(observation, '0').sleep_state, 'awake');
	assert.deepEqual(observation.signals.lora, {
		running: ['a', 'b'],
		waiting: ['c'],
		max: 2,
	});
});

test('memory stays bounded: readings cover the window (at least 5 minutes) and never exceed the cap', () => {
	let memory: DeriveMemory | undefined;
	for (let index = 0; index < 200; index++) {
		memory = derive(
			memory,
			v1Page({...firstCounters, prompt: [index, index]}),
			t0 + index * 5000,
			60,
		).memory;
	}

	assert.ok(memory);
	const readings = readingsOf(memory);
	const last = t0 + 199 * 5000;
	assert.equal(readings.at(-1)?.at, last);
	assert.ok(readings[0]!.at <= last - 300_000);
	// The window's 60 s hold one reading per scrape; the rest of the five minutes, one per 30 s or so.
	const inWindow = readings.filter(reading => reading.at >= last - 60_000);
	assert.equal(inWindow.length, 13);
	const older = readings.filter(reading => reading.at < last - 60_000);
	for (let index = 2; index < older.length; index++) {
		assert.ok(older[index]!.at - older[index - 1]!.at >= 30_000);
	}

	assert.ok(readings.length <= 23, `${readings.length} readings`);
	for (let index = 200; index < 1000; index++) {
		memory = derive(
			memory,
			v1Page({...firstCounters, prompt: [index, index]}),
			t0 + index * 5000,
			24 * 3600,
		).memory;
	}

	assert.equal(readingsOf(memory).length, maxReadings);
});

test('thinning the readings before the window changes no figure of the window, and a wider window finds readings at once', () => {
	let memory: DeriveMemory | undefined;
	let prompt = 0;
	for (let index = 0; index < 100; index++) {
		// Uneven increments, so every window start gives a different rate.
		prompt += (index * 37) % 11;
		const at = t0 + index * 5000;
		const result = derive(
			memory,
			v1Page({...firstCounters, prompt: [prompt, prompt]}),
			at,
			60,
		);
		memory = result.memory;
		if (index >= 12) {
			// The rate over the window is the increase since exactly 60 s ago, over 60 s.
			const readings = readingsOf(memory);
			const start = readings.find(reading => reading.at === at - 60_000);
			assert.ok(start, `the reading of 60 s ago is kept (scrape ${index})`);
		}
	}

	assert.ok(memory);
	const wide = derive(
		memory,
		v1Page({...firstCounters, prompt: [prompt, prompt]}),
		t0 + 100 * 5000,
		300,
	);
	// Five minutes back, within the 30 s the older readings are apart.
	assert.equal(wide.observation.window_seconds, 300);
	const oldest = readingsOf(memory)[0]!;
	assert.ok(t0 + 100 * 5000 - oldest.at >= 300_000);
});

test('a new process_start_time_seconds is a restart: every counter counts from zero again', () => {
	const counters = (start: number, prompt: number) =>
		page(`
process_start_time_seconds ${start}
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{${model}} ${prompt}
`);
	const first = derive(undefined, counters(1.7e9, 500), t0);
	const same = derive(first.memory, counters(1.7e9, 600), t0 + 5000);
	assert.equal(same.observation.restarted, false);
	close(same.observation.signals.prompt_tokens_per_s, 20);
	const restarted = derive(same.memory, counters(1.7e9 + 60, 700), t0 + 10_000);
	assert.equal(restarted.observation.restarted, true);
	close(restarted.observation.signals.prompt_tokens_per_s, 140);
	assert.equal(
		restarted.observation.server.started_at,
		new Date((1.7e9 + 60) * 1000).toISOString(),
	);
});
