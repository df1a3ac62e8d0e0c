import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {deriveSnapshot} from '../source/derive/derive-snapshot.js';
import type {Page} from '../source/parse/page.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {fixturePath} from './support/fixture-path.js';

const at = Date.parse('2026-08-20T12:00:00.000Z');

function fixture(name: string): Page {
	const result = parseExposition(
		readFileSync(fixturePath(name), 'utf8'),
		'text',
	);
	assert.ok(result.ok, result.ok ? '' : result.error);
	return result.page;
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

test('the real V0 page: V0 names, swapped, GPU and CPU cache usage, TPOT as ITL, cache config', () => {
	const {observation} = deriveSnapshot(undefined, {
		page: fixture('vllm-v0-opt125m.txt'),
		at,
		target: 'v0',
		windowSeconds: 60,
	});
	assert.equal(observation.server.generation, 'v0');
	assert.deepEqual(observation.server.models, ['facebook/opt-125m']);
	assert.deepEqual(observation.server.engines, []);
	assert.equal(
		observation.server.started_at,
		new Date(1.718_140_558_3e12).toISOString(),
	);
	const {signals} = observation;
	assert.equal(signals.requests_running, 0);
	assert.equal(signals.requests_waiting, 0);
	assert.equal(signals.requests_swapped, 0);
	assert.equal(signals.kv_cache_usage, 0);
	assert.equal(signals.cpu_kv_cache_usage, 0);
	assert.equal(signals.requests_waiting_by_reason, null);
	assert.equal(signals.sleep_state, null);
	assert.equal(signals.lora, null);
	assert.equal(signals.prefix_cache_hit_rate, null);
	// First scrape: no rates and no quantiles yet, but the histograms are known to exist (TPOT stands in for ITL).
	assert.equal(signals.prompt_tokens_per_s, null);
	assert.equal(signals.requests_per_s, null);
	assert.deepEqual(signals.itl_seconds, {
		p50: null,
		p90: null,
		p95: null,
		p99: null,
		mean: null,
	});
	assert.deepEqual(signals.ttft_seconds, {
		p50: null,
		p90: null,
		p95: null,
		p99: null,
		mean: null,
	});
	assert.equal(signals.queue_seconds, null);
	assert.deepEqual(observation.cache_config, {
		block_size: 16,
		num_gpu_blocks: 7281,
		kv_cache_size_tokens: null,
		block_tokens: 116_496,
		mamba_block_size: null,
		enable_prefix_caching: false,
		gpu_memory_utilization: 0.9,
		cache_dtype: 'auto',
	});
	assert.equal(observation.capacity?.kv_pool_tokens, 116_496);
	assert.equal(observation.capacity?.kv_pool_source, 'computed');
	// One request: 5 prompt and 7 generated tokens (request_prompt_tokens / request_generation_tokens since start).
	assert.equal(observation.capacity?.avg_tokens_per_request, 12);
	assert.equal(observation.capacity?.concurrency_ceiling, 9708);
	assert.equal(observation.per_engine.length, 0);
	assert.deepEqual(
		observation.per_model.map(row => row.model),
		['facebook/opt-125m'],
	);
	assert.equal(observation.restarted, false);
});

test('the V1 page: two engines summed, per-engine rows, spec decode, LoRA, waiting by reason, cache config', () => {
	const {observation} = deriveSnapshot(undefined, {
		page: fixture('vllm-v1-generated-dp2-specdec-lora.txt'),
		at,
		target: 'v1',
		windowSeconds: 60,
	});
	assert.equal(observation.server.generation, 'v1');
	assert.deepEqual(observation.server.engines, ['0', '1']);
	assert.deepEqual(observation.server.models, [
		'meta-llama/Llama-3.1-8B-Instruct',
	]);
	const {signals} = observation;
	assert.equal(signals.requests_running, 51);
	assert.equal(signals.requests_waiting, 7);
	assert.deepEqual(signals.requests_waiting_by_reason, {
		capacity: 3,
		deferred: 4,
	});
	assert.equal(signals.requests_swapped, null);
	close(signals.kv_cache_usage, (0.2338 + 0.7713) / 2);
	assert.equal(signals.cpu_kv_cache_usage, null);
	// Ratios on the first scrape cover everything counted since the server started.
	close(
		signals.prefix_cache_hit_rate,
		(111_758 + 183_803) / (340_478 + 328_020),
	);
	close(
		signals.spec_decode_acceptance_rate,
		(77_090 + 63_258) / (121_722 + 99_882),
	);
	close(
		signals.spec_decode_mean_acceptance_length,
		1 + (77_090 + 63_258) / (40_574 + 33_294),
	);
	assert.deepEqual(signals.lora, {
		running: ['sql-lora', 'chat-lora'],
		waiting: [],
		max: 4,
	});
	assert.equal(signals.sleep_state, 'awake');
	assert.notEqual(signals.decode_seconds, null);
	assert.deepEqual(
		observation.per_engine.map(row => [
			row.engine,
			row.signals.requests_running,
			row.signals.kv_cache_usage,
		]),
		[
			['0', 14, 0.2338],
			['1', 37, 0.7713],
		],
	);
	assert.deepEqual(
		observation.per_engine[0]?.signals.requests_waiting_by_reason,
		{capacity: 3, deferred: 2},
	);
	close(
		observation.per_engine[1]?.signals.prefix_cache_hit_rate,
		183_803 / 328_020,
	);
	assert.equal(observation.per_engine[0]?.signals.lora, null);
	assert.equal(observation.per_model[0]?.signals.requests_running, 51);
	assert.equal(observation.cache_config?.kv_cache_size_tokens, null);
	assert.equal(observation.cache_config?.block_tokens, 27_000 * 16);
	assert.equal(observation.cache_config?.enable_prefix_caching, true);
	assert.equal(observation.capacity?.kv_pool_tokens, 2 * 27_000 * 16);
	const prompt = (580_964 + 517_863) / (382 + 347);
	const generation = (154_265 + 142_013) / (382 + 347);
	close(observation.capacity?.avg_tokens_per_request, prompt + generation);
	assert.equal(
		observation.capacity?.concurrency_ceiling,
		Math.floor(864_000 / (prompt + generation)),
	);
	assert.equal(
		observation.capacity?.suggested_max_num_seqs,
		Math.floor((864_000 / (prompt + generation) / 2) * 0.7),
	);
	assert.equal(
		observation.capacity?.headroom_tokens,
		Math.floor(864_000 * (1 - (0.2338 + 0.7713) / 2)),
	);
});

test('the same V1 page scraped twice: zero rates, null quantiles (nothing observed), no restart', () => {
	const page = fixture('vllm-v1-generated-dp2-specdec-lora.txt');
	const first = deriveSnapshot(undefined, {
		page,
		at,
		target: 'v1',
		windowSeconds: 60,
	});
	const second = deriveSnapshot(first.memory, {
		page,
		at: at + 5000,
		target: 'v1',
		windowSeconds: 60,
	});
	const {signals} = second.observation;
	assert.equal(signals.prompt_tokens_per_s, 0);
	assert.equal(signals.generation_tokens_per_s, 0);
	assert.equal(signals.requests_per_s, 0);
	assert.deepEqual(signals.requests_per_s_by_reason, {
		stop: 0,
		length: 0,
		abort: 0,
		error: 0,
		repetition: 0,
	});
	assert.equal(signals.preemptions_per_s, 0);
	assert.equal(signals.prefix_cache_hit_rate, null);
	assert.deepEqual(signals.ttft_seconds, {
		p50: null,
		p90: null,
		p95: null,
		p99: null,
		mean: null,
	});
	assert.equal(second.observation.restarted, false);
});
