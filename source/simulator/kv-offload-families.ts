import type {Counter, Registry} from 'prom-client';
import type {EngineCounters} from './engine-model.js';
import {
	type FamilyTable,
	registerFamilies,
	zeroFamilies,
	type Families,
} from './family-table.js';
import type {Scenario} from './scenarios.js';
import {engineLabels, type EngineLabel} from './vllm-v1-families.js';

/**
CPU KV offload, as a server started with `--kv-transfer-config '{"kv_connector":"OffloadingConnector",...}'` reports it
(vllm/distributed/kv_transfer/kv_connector/v1/offloading/metrics.py and the CPU spec's own gauge). The simulator
stores every computed prompt token's KV to CPU memory and finds part of what the GPU prefix cache missed there.
*/
export const kvOffloadFamilies = {
	loadBytes: {
		name: 'vllm:kv_offload_load_bytes_total',
		type: 'counter',
		help: 'Total bytes loaded from offload storage to GPU.',
		labels: engineLabels,
		zero: true,
	},
	loadTime: {
		name: 'vllm:kv_offload_load_time_total',
		type: 'counter',
		help: 'Total load time from offload storage to GPU, in seconds.',
		labels: engineLabels,
		zero: true,
	},
	storeBytes: {
		name: 'vllm:kv_offload_store_bytes_total',
		type: 'counter',
		help: 'Total bytes stored from GPU to offload storage.',
		labels: engineLabels,
		zero: true,
	},
	storeTime: {
		name: 'vllm:kv_offload_store_time_total',
		type: 'counter',
		help: 'Total store time from GPU to offload storage, in seconds.',
		labels: engineLabels,
		zero: true,
	},
	allocationFailure: {
		name: 'vllm:kv_offload_allocation_failure_total',
		type: 'counter',
		help: 'Number of KV offload store allocation attempts that failed.',
		labels: engineLabels,
		zero: true,
	},
	cpuCacheUsage: {
		name: 'vllm:kv_offload_cpu_cache_usage_perc',
		type: 'gauge',
		help: 'Fraction of CPU KV-cache space currently pinned by active transfers (0.0 = idle, 1.0 = saturated). Sustained high values indicate transfers (stores or promotions) may be dropped due to insufficient capacity.',
		labels: engineLabels,
	},
} as const satisfies FamilyTable;

/** KV bytes per token of Llama-3.1-8B in bf16: 32 layers x 8 KV heads x 128 dims x (K, V) x 2 bytes. */
const bytesPerToken = 32 * 8 * 128 * 2 * 2;
/** Pinned host memory over PCIe: about 25 GB/s to the GPU, 20 GB/s back. */
const loadBytesPerSecond = 25e9;
const storeBytesPerSecond = 20e9;
/** Share of the tokens the GPU prefix cache missed that the CPU tier still holds. */
const cpuHitShare = 0.5;

type Labels = Record<EngineLabel, string>;
type Delta = (pick: (counters: EngineCounters) => number) => number;

/** The external prefix cache counters of the V1 set, which the offload tier feeds. */
export type ExternalCache = {
	readonly queries: Counter<EngineLabel>;
	readonly hits: Counter<EngineLabel>;
};

export class KvOffloadMetrics {
	readonly #families: Families<typeof kvOffloadFamilies>;
	readonly #external: ExternalCache;

	constructor(
		registry: Registry,
		scenario: Scenario,
		external: ExternalCache,
		engines: readonly Labels[],
	) {
		this.#families = registerFamilies(kvOffloadFamilies, registry, scenario);
		this.#external = external;
		for (const labels of engines) {
			zeroFamilies(kvOffloadFamilies, this.#families, labels);
			this.#families.cpuCacheUsage.set(labels, 0);
		}
	}

	/** Follows one engine's counters since the last update; `kvUsage` is its GPU KV use 0..1. */
	update(labels: Labels, delta: Delta, kvUsage: number): void {
		const families = this.#families;
		const missed = delta(c => c.prefixQueries) - delta(c => c.prefixHits);
		const found = Math.round(missed * cpuHitShare);
		this.#external.queries.inc(labels, missed);
		this.#external.hits.inc(labels, found);
		const loaded = found * bytesPerToken;
		const stored = delta(c => c.promptTokensComputed) * bytesPerToken;
		families.loadBytes.inc(labels, loaded);
		families.loadTime.inc(labels, loaded / loadBytesPerSecond);
		families.storeBytes.inc(labels, stored);
		families.storeTime.inc(labels, stored / storeBytesPerSecond);
		// Transfers in flight follow the batch; a preempted request's store finds the CPU tier full.
		families.cpuCacheUsage.set(labels, Math.min(1, kvUsage * 0.6));
		families.allocationFailure.inc(
			labels,
			delta(c => c.preemptions),
		);
	}
}
