/**
A realistic, fully populated V1 snapshot of a two-engine server with two models and LoRA adapters, plus history, for
UI tests. Numbers are shaped like a busy Llama-3-8B on one GPU per engine.
*/
import type {Alert} from '../../source/alerts/alert.js';
import type {Quantiles, Signals} from '../../source/derive/snapshot.js';
import type {Snapshot} from '../../source/pipeline/snapshot.js';
import type {
	History,
	SeriesId,
	TargetView,
} from '../../source/store/target-view.js';
import {nullSignals} from '../../source/catalog/signal-types.js';

export const sampleNow = Date.parse('2026-05-04T12:00:00.000Z');

function quantiles(
	p50: number,
	p95: number,
	p99: number,
	mean: number,
): Quantiles {
	// A sample p90 between the two quantiles around it.
	return {p50, p90: (p50 + p95) / 2, p95, p99, mean};
}

export const emptySignals: Signals = nullSignals;

export const sampleSignals: Signals = {
	// Signals not set below (the server did not report them) stay null.
	...nullSignals,
	requests_running: 48,
	requests_waiting: 12,
	requests_waiting_by_reason: {capacity: 9, deferred: 3},
	requests_swapped: null,
	kv_cache_usage: 0.934,
	cpu_kv_cache_usage: null,
	prompt_tokens_per_s: 5234.5,
	prompt_tokens_by_source_per_s: null,
	prefill_tokens_per_s: null,
	generation_tokens_per_s: 1876.2,
	requests_per_s: 6.4,
	requests_per_s_by_reason: {stop: 5.9, length: 0.5},
	preemptions_per_s: 0.4,
	prefix_cache_hit_rate: 0.42,
	prefix_cache_queried_tokens: 120_000,
	spec_decode_acceptance_rate: null,
	spec_decode_mean_acceptance_length: null,
	spec_decode_acceptance_by_position: null,
	spec_decode_draft_tokens: null,
	lora: {running: ['sql-adapter'], waiting: ['chat-adapter'], max: 4},
	sleep_state: 'awake',
	ttft_seconds: quantiles(0.182, 0.912, 1.84, 0.301),
	itl_seconds: quantiles(0.021, 0.048, 0.093, 0.026),
	tpot_seconds: quantiles(0.02, 0.045, 0.09, 0.025),
	e2e_seconds: quantiles(6.2, 14.8, 22.5, 7.4),
	queue_seconds: quantiles(0.04, 0.62, 1.3, 0.12),
	prefill_seconds: quantiles(0.11, 0.35, 0.52, 0.15),
	decode_seconds: quantiles(5.9, 13.9, 21.1, 7.1),
};

export const sampleAlerts: readonly Alert[] = [
	{
		id: 'kv-cache-pressure',
		severity: 'crit',
		state: 'firing',
		message: 'KV cache 93.4% full for 2m, 0.4 preemptions/s',
		hint: 'lower --max-num-seqs or raise --gpu-memory-utilization',
		since: sampleNow - 120_000,
	},
	{
		id: 'queue-growing',
		severity: 'warn',
		state: 'pending',
		message: '12 requests waiting, queue p95 620ms',
		hint: 'add replicas or raise --max-num-batched-tokens',
		since: sampleNow - 20_000,
	},
	{
		id: 'ttft-slo',
		severity: 'info',
		state: 'resolved',
		message: 'TTFT p95 back under 1s',
		hint: 'no action needed',
		since: sampleNow - 600_000,
	},
];

export function sampleSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
	return {
		schema: 1,
		target: 'http://gpu-box-1:8000/metrics',
		at: new Date(sampleNow - 2000).toISOString(),
		status: 'crit',
		server: {
			dialect: 'vllm',
			version: '0.9.2',
			models: ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen2.5-7B-Instruct'],
			engines: ['0', '1'],
			generation: 'v1',
			started_at: new Date(
				sampleNow - (3 * 3600 + 25 * 60) * 1000,
			).toISOString(),
		},
		signals: sampleSignals,
		cache_config: {
			block_size: 16,
			num_gpu_blocks: 8192,
			kv_cache_size_tokens: 131_072,
			block_tokens: 131_072,
			mamba_block_size: null,
			enable_prefix_caching: true,
			gpu_memory_utilization: 0.9,
			cache_dtype: 'auto',
		},
		capacity: {
			kv_pool_tokens: 131_072,
			kv_pool_source: 'stated',
			kv_pool_unknown: null,
			avg_prompt_tokens: 812,
			avg_generation_tokens: 291,
			avg_tokens_per_request: 1103,
			concurrency_ceiling: 118.8,
			suggested_max_num_seqs: 83,
			headroom_tokens: 8651,
			headroom_requests: 7.8,
			littles_law_concurrency: 47.4,
		},
		alerts: sampleAlerts,
		not_judged: [],
		batch_fill: null,
		per_engine: [
			{
				engine: '0',
				signals: {
					...sampleSignals,
					requests_running: 26,
					requests_waiting: 7,
					kv_cache_usage: 0.951,
				},
			},
			{
				engine: '1',
				signals: {
					...sampleSignals,
					requests_running: 22,
					requests_waiting: 5,
					kv_cache_usage: 0.917,
				},
			},
		],
		engine_spread: {
			requests_running: {min: 22, max: 26, min_engine: '1', max_engine: '0'},
			requests_waiting: {min: 5, max: 7, min_engine: '1', max_engine: '0'},
			kv_cache_usage: {
				min: 0.917,
				max: 0.951,
				min_engine: '1',
				max_engine: '0',
			},
		},
		per_model: [
			{
				model: 'meta-llama/Llama-3.1-8B-Instruct',
				signals: {...sampleSignals, requests_running: 30},
			},
			{
				model: 'Qwen/Qwen2.5-7B-Instruct',
				signals: {...sampleSignals, requests_running: 18, lora: null},
			},
		],
		restarted: false,
		window_seconds: 60,
		error: null,
		...overrides,
	};
}

const wave = (
	length: number,
	base: number,
	amplitude: number,
	phase = 0,
): Array<number | null> =>
	Array.from(
		{length},
		(_, index) => base + amplitude * Math.sin(index / 4 + phase),
	);

/** `length` points per series; one missed scrape in the middle, as a real history has. */
export function sampleHistory(length = 60): History {
	const series: Record<SeriesId, Array<number | null>> = {
		prompt_tokens_per_s: wave(length, 5000, 1500),
		prefill_tokens_per_s: Array.from({length}, () => null),
		generation_tokens_per_s: wave(length, 1800, 400, 1),
		kv_cache_usage: wave(length, 0.8, 0.15, 2),
		requests_running: wave(length, 40, 10),
		requests_waiting: wave(length, 8, 6, 3),
		requests_swapped: Array.from({length}, () => null),
		ttft_p95: wave(length, 0.8, 0.3),
		itl_p95: wave(length, 0.045, 0.01, 1),
		preemptions_per_s: wave(length, 0.3, 0.3, 2),
	};
	if (length > 10) {
		for (const values of Object.values(series)) {
			values[Math.floor(length / 2)] = null;
		}
	}

	return series;
}

export function sampleTargetView(
	overrides: Partial<TargetView> = {},
): TargetView {
	return {
		name: 'gpu-box-1',
		url: 'http://gpu-box-1:8000/metrics',
		phase: 'up',
		snapshot: sampleSnapshot(),
		history: sampleHistory(),
		lastScrape: {at: sampleNow - 2000, durationMs: 42, error: null},
		...overrides,
	};
}

/** A target that has not answered yet: nothing but nulls. */
export function startingTargetView(): TargetView {
	return {
		name: 'http://localhost:8000/metrics',
		url: 'http://localhost:8000/metrics',
		phase: 'starting',
		snapshot: null,
		history: sampleHistory(0),
		lastScrape: null,
	};
}
