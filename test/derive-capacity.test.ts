import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cacheConfigFrom} from '../source/derive/cache-config.js';
import {deriveCapacity, type CapacityInput} from '../source/derive/capacity.js';

const base: CapacityInput = {
	kvPoolTokens: 100_000,
	kvCacheUsage: 0.25,
	window: {
		promptTokens: 30_000,
		generationTokens: 10_000,
		finishedRequests: 20,
		seconds: 60,
	},
	promptTokensHistogram: {sum: 3000, count: 3},
	generationTokensHistogram: {sum: 600, count: 3},
	e2eMeanSeconds: 4,
	engineCount: 1,
};

test('capacity from the window: average request shape, ceiling, suggested --max-num-seqs, headroom, Little', () => {
	const capacity = deriveCapacity(base);
	assert.equal(capacity.kv_pool_tokens, 100_000);
	assert.equal(capacity.avg_prompt_tokens, 1500);
	assert.equal(capacity.avg_generation_tokens, 500);
	assert.equal(capacity.avg_tokens_per_request, 2000);
	assert.equal(capacity.concurrency_ceiling, 50);
	assert.equal(capacity.suggested_max_num_seqs, 35);
	assert.equal(capacity.headroom_tokens, 75_000);
	assert.equal(capacity.headroom_requests, 37);
	assert.ok(
		Math.abs(capacity.littles_law_concurrency! - (20 / 60) * 4) < 1e-12,
	);
});

test('--max-num-seqs is per engine: two engines share the ceiling', () => {
	assert.equal(
		deriveCapacity({...base, engineCount: 2}).suggested_max_num_seqs,
		17,
	);
});

test('with no request finished in the window the per-request token histograms give the shape', () => {
	const capacity = deriveCapacity({
		...base,
		window: {
			promptTokens: 0,
			generationTokens: 0,
			finishedRequests: 0,
			seconds: 60,
		},
	});
	assert.equal(capacity.avg_prompt_tokens, 1000);
	assert.equal(capacity.avg_generation_tokens, 200);
	assert.equal(capacity.concurrency_ceiling, 83);
	assert.equal(capacity.littles_law_concurrency, 0);
	const first = deriveCapacity({...base, window: null});
	assert.equal(first.avg_tokens_per_request, 1200);
	assert.equal(first.littles_law_concurrency, null);
});

test('unknown pool or request shape leaves the dependent numbers null', () => {
	const noPool = deriveCapacity({...base, kvPoolTokens: null});
	assert.equal(noPool.concurrency_ceiling, null);
	assert.equal(noPool.suggested_max_num_seqs, null);
	assert.equal(noPool.headroom_tokens, null);
	assert.equal(noPool.avg_tokens_per_request, 2000);
	const noShape = deriveCapacity({
		...base,
		window: null,
		promptTokensHistogram: null,
	});
	assert.equal(noShape.avg_tokens_per_request, null);
	assert.equal(noShape.concurrency_ceiling, null);
	assert.equal(noShape.headroom_tokens, 75_000);
	assert.equal(noShape.headroom_requests, null);
});

test('cache config: kv_cache_size_tokens is what the server states, blocks x block size is kept apart; "None" and odd values are null', () => {
	assert.equal(
		cacheConfigFrom({
			block_size: '16',
			num_gpu_blocks: '100',
			kv_cache_size_tokens: '1234',
		}).kv_cache_size_tokens,
		1234,
	);
	assert.equal(
		cacheConfigFrom({block_size: '16', num_gpu_blocks: '100'})
			.kv_cache_size_tokens,
		null,
	);
	assert.equal(
		cacheConfigFrom({block_size: '16', num_gpu_blocks: '100'}).block_tokens,
		1600,
	);
	assert.deepEqual(
		cacheConfigFrom({
			block_size: '16',
			num_gpu_blocks: 'None',
			enable_prefix_caching: 'maybe',
		}),
		{
			block_size: 16,
			num_gpu_blocks: null,
			kv_cache_size_tokens: null,
			block_tokens: null,
			mamba_block_size: null,
			enable_prefix_caching: null,
			gpu_memory_utilization: null,
			cache_dtype: null,
		},
	);
});
