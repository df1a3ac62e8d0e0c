/**
One canonical observation per scrape: the signals of the whole target, of each data-parallel engine and of each
model, plus cache configuration, capacity and server identity. Status, alerts and errors are added later by the
alerts stage and the target reducer.
*/
import type {Labels, Page} from '../parse/page.js';
import {compareEngines, readCacheConfig} from './cache-config.js';
import {
	deriveCapacity,
	type CapacityWindow,
	type TokenHistogram,
} from './capacity.js';
import {type DeriveMemory, recordScrape, type Span} from './derive-memory.js';
import {deriveSignals, type SignalSpans} from './derive-signals.js';
import {increase, sinceStart, type Scope} from './scope.js';
import type {Server, Snapshot} from './snapshot.js';
import {v0Markers, v1Markers, vllmMetric} from './vllm-metric-names.js';

export type Observation = Omit<Snapshot, 'status' | 'alerts' | 'error'>;

export type {DeriveMemory} from './derive-memory.js';

export type DeriveInput = {
	readonly page: Page;
	/** Epoch ms of the scrape. */
	readonly at: number;
	readonly target: string;
	/** Window of the latency quantiles and ratios. */
	readonly windowSeconds: number;
	/** From `/version`, when known. */
	readonly version?: string | null;
};

export function deriveSnapshot(
	memory: DeriveMemory | undefined,
	input: DeriveInput,
): {memory: DeriveMemory; observation: Observation} {
	const windowSeconds = input.windowSeconds > 0 ? input.windowSeconds : 60;
	const recorded = recordScrape(memory, input.page, input.at, windowSeconds);
	const spans: SignalSpans = {
		previous: recorded.previous,
		window: recorded.window,
	};
	const scope = (includes: (labels: Labels) => boolean): Scope => ({
		page: input.page,
		current: recorded.current,
		series: recorded.series,
		includes,
	});
	const everything = scope(() => true);
	const hasVllm = input.page.samples.some(sample =>
		sample.name.startsWith('vllm:'),
	);
	const engines = labelValues(input.page, 'engine').toSorted(compareEngines);
	const models = labelValues(input.page, 'model_name').toSorted();
	const signals = deriveSignals(everything, spans, {withLora: true});
	const cache = readCacheConfig(input.page);
	const observation: Observation = {
		schema: 1,
		target: input.target,
		at: isoFromSeconds(input.at / 1000) ?? new Date(0).toISOString(),
		server: server(input.page, engines, models, input.version ?? null),
		signals,
		cache_config: cache.config,
		capacity: hasVllm
			? deriveCapacity({
					kvPoolTokens: cache.kvPoolTokens,
					kvCacheUsage: signals.kv_cache_usage,
					window: capacityWindow(everything, recorded.window),
					promptTokensHistogram: tokenHistogram(
						everything,
						vllmMetric.promptTokensHistogram,
						sinceStart,
					),
					generationTokensHistogram: tokenHistogram(
						everything,
						vllmMetric.generationTokensHistogram,
						sinceStart,
					),
					e2eMeanSeconds: signals.e2e_seconds?.mean ?? null,
					engineCount: Math.max(1, engines.length),
				})
			: null,
		per_engine: engines.map(engine => ({
			engine,
			signals: deriveSignals(
				scope(labels => labels['engine'] === engine),
				spans,
				{withLora: false},
			),
		})),
		per_model: models.map(model => ({
			model,
			signals: deriveSignals(
				scope(labels => labels['model_name'] === model),
				spans,
				{withLora: false},
			),
		})),
		restarted: recorded.restarted,
		window_seconds: windowSeconds,
	};
	return {memory: recorded.memory, observation};
}

function capacityWindow(
	scope: Scope,
	window: Span | null,
): CapacityWindow | null {
	if (window?.seconds === null || window?.seconds === undefined) {
		return null;
	}

	return {
		promptTokens: increase(scope, vllmMetric.promptTokens, window),
		generationTokens: increase(scope, vllmMetric.generationTokens, window),
		finishedRequests: increase(scope, vllmMetric.requestSuccess, window),
		seconds: window.seconds,
	};
}

function tokenHistogram(
	scope: Scope,
	base: string,
	span: Span,
): TokenHistogram | null {
	const sum = increase(scope, `${base}_sum`, span);
	const count = increase(scope, `${base}_count`, span);
	return sum === null || count === null ? null : {sum, count};
}

function labelValues(page: Page, label: string): string[] {
	const values = new Set<string>();
	for (const sample of page.samples) {
		const value = sample.labels[label];
		if (value !== undefined && sample.name.startsWith('vllm:')) {
			values.add(value);
		}
	}

	return [...values];
}

function server(
	page: Page,
	engines: readonly string[],
	models: readonly string[],
	version: string | null,
): Server {
	return {
		version,
		models,
		engines,
		generation: generation(page, engines, version),
		started_at: startedAt(page),
	};
}

function generation(
	page: Page,
	engines: readonly string[],
	version: string | null,
): 'v0' | 'v1' | null {
	const vllmSamples = page.samples.filter(sample =>
		sample.name.startsWith('vllm:'),
	);
	if (vllmSamples.length === 0) {
		return null;
	}

	if (
		engines.length > 0 ||
		vllmSamples.some(sample => sample.name.endsWith('_created'))
	) {
		return 'v1';
	}

	if (v0Markers.some(name => page.byName.has(name))) {
		return 'v0';
	}

	if (v1Markers.some(name => page.byName.has(name))) {
		return 'v1';
	}

	// V1 became the default in 0.8.0 and the only engine in 0.11.0.
	const text = version ?? '';
	const [major = Number.NaN, minor = Number.NaN] = (
		text.startsWith('v') ? text.slice(1) : text
	)
		.split('.')
		.map(part => Number.parseInt(part, 10));
	if (Number.isInteger(major) && Number.isInteger(minor)) {
		if (major === 0 && minor < 8) {
			return 'v0';
		}

		if (major > 0 || minor >= 11) {
			return 'v1';
		}
	}

	return null;
}

/** The process start, else the oldest vLLM `_created` series (a V1 server creates them when it starts). */
function startedAt(page: Page): string | null {
	const processStart = page.byName.get('process_start_time_seconds')?.[0]
		?.value;
	if (processStart !== undefined && processStart > 0) {
		return isoFromSeconds(processStart);
	}

	let oldest = Number.POSITIVE_INFINITY;
	for (const sample of page.samples) {
		if (
			sample.name.startsWith('vllm:') &&
			sample.name.endsWith('_created') &&
			sample.value > 0
		) {
			oldest = Math.min(oldest, sample.value);
		}
	}

	return isoFromSeconds(oldest);
}

/** Null for values no Date can hold (a garbled page must not throw). */
function isoFromSeconds(seconds: number): string | null {
	const date = new Date(seconds * 1000);
	return Number.isFinite(date.getTime()) ? date.toISOString() : null;
}
