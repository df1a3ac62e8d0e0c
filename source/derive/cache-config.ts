/**
The engine's cache configuration from `vllm:cache_config_info`, whose labels are `str()` of every CacheConfig field:
`"16"`, `"None"`, `"True"`, `"0.9"`. The key set differs between versions, so every field is optional.
*/
import type {Labels, Page} from '../parse/page.js';
import {vllmMetric} from '../catalog/vllm-metrics.js';
import type {CacheConfig, KvPoolSource} from './snapshot.js';

export type CacheConfigReading = {
	/** The configuration of the first engine (they are launched with the same flags). */
	readonly config: CacheConfig | null;
	/** KV tokens summed over engines: every data-parallel engine has its own pool. */
	readonly kvPoolTokens: number | null;
	readonly kvPoolSource: KvPoolSource | null;
	/** Why the pool is not known although the page has a cache configuration. */
	readonly kvPoolUnknown: string | null;
};

/** The line the views show for a hybrid model whose server states no pool. */
export const hybridPoolUnknown =
	'KV pool unknown for hybrid models: the server states no kv_cache_size_tokens, and block_size x num_gpu_blocks is not the token pool';

export function readCacheConfig(page: Page): CacheConfigReading {
	return cacheConfigOfEngines(
		(page.byName.get(vllmMetric.cacheConfig) ?? []).map(
			sample => sample.labels,
		),
	);
}

/** The reading from the label sets of one server's `vllm:cache_config_info` series, from a page or from Prometheus. */
export function cacheConfigOfEngines(
	labelSets: readonly Labels[],
): CacheConfigReading {
	const byEngine = new Map<string, CacheConfig>();
	for (const labels of labelSets) {
		byEngine.set(labels['engine'] ?? '', cacheConfigFrom(labels));
	}

	if (byEngine.size === 0) {
		return {
			config: null,
			kvPoolTokens: null,
			kvPoolSource: null,
			kvPoolUnknown: null,
		};
	}

	const engines = [...byEngine.keys()].toSorted(compareEngines);
	const configs = engines.map(engine => byEngine.get(engine)!);
	const config = configs[0]!;
	const total = (pick: (config: CacheConfig) => number | null) => {
		const pools = configs.map(engine => pick(engine));
		return pools.every(pool => pool !== null)
			? pools.reduce((sum, pool) => sum + pool, 0)
			: null;
	};

	const stated = total(engine => engine.kv_cache_size_tokens);
	if (stated !== null) {
		return {
			config,
			kvPoolTokens: stated,
			kvPoolSource: 'stated',
			kvPoolUnknown: null,
		};
	}

	// Hybrid models unify page sizes across attention and mamba layers, so blocks do not count tokens.
	if (configs.some(engine => engine.mamba_block_size !== null)) {
		return {
			config,
			kvPoolTokens: null,
			kvPoolSource: null,
			kvPoolUnknown: hybridPoolUnknown,
		};
	}

	const computed = total(engine => engine.block_tokens);
	return {
		config,
		kvPoolTokens: computed,
		kvPoolSource: computed === null ? null : 'computed',
		kvPoolUnknown: null,
	};
}

export function cacheConfigFrom(labels: Labels): CacheConfig {
	const blockSize = integerLabel(labels['block_size']);
	const gpuBlocks = integerLabel(labels['num_gpu_blocks']);
	const sizeTokens = integerLabel(labels['kv_cache_size_tokens']);
	return {
		block_size: blockSize,
		num_gpu_blocks: gpuBlocks,
		kv_cache_size_tokens: sizeTokens,
		block_tokens:
			blockSize !== null && gpuBlocks !== null ? blockSize * gpuBlocks : null,
		mamba_block_size: integerLabel(labels['mamba_block_size']),
		enable_prefix_caching: booleanLabel(labels['enable_prefix_caching']),
		gpu_memory_utilization: numberLabel(labels['gpu_memory_utilization']),
		cache_dtype: textLabel(labels['cache_dtype']),
	};
}

/** Engines sort as numbers ("2" before "10"), anything else after them by text. */
export function compareEngines(a: string, b: string): number {
	const left = Number(a);
	const right = Number(b);
	if (a !== '' && b !== '' && Number.isFinite(left) && Number.isFinite(right)) {
		return left - right;
	}

	return a < b ? -1 : a > b ? 1 : 0;
}

function textLabel(value: string | undefined): string | null {
	if (value === undefined) {
		return null;
	}

	const trimmed = value.trim();
	return trimmed === '' || trimmed === 'None' ? null : trimmed;
}

function numberLabel(value: string | undefined): number | null {
	const text = textLabel(value);
	if (text === null) {
		return null;
	}

	const number = Number(text);
	return Number.isFinite(number) ? number : null;
}

function integerLabel(value: string | undefined): number | null {
	const number = numberLabel(value);
	return number !== null && Number.isInteger(number) && number >= 0
		? number
		: null;
}

function booleanLabel(value: string | undefined): boolean | null {
	const text = textLabel(value)?.toLowerCase();
	if (text === 'true') {
		return true;
	}

	return text === 'false' ? false : null;
}
