/**
One canonical observation per scrape: the signals of the whole target, of each data-parallel engine and of each
model, plus cache configuration, capacity and server identity. Status, alerts and errors are added later by the
alerts stage and the target reducer (`pipeline/`).
*/
import {cumulativeNamesOf} from '../catalog/cumulative-names.js';
import {signalCatalog, type SignalCatalog} from '../catalog/signals.js';
import type {DialectId} from '../catalog/server-dialects.js';
import type {Labels, Page} from '../parse/page.js';
import {vllmMetric} from '../catalog/vllm-metrics.js';
import {compareEngines, readCacheConfig} from './cache-config.js';
import {
	capacitySignals,
	deriveCapacity,
	type CapacityWindow,
	type TokenHistogram,
} from './capacity.js';
import {type DeriveMemory, recordScrape, type Span} from './derive-memory.js';
import {deriveSignals, type SignalSpans} from './derive-signals.js';
import {engineSpread} from './engine-spread.js';
import {createScope, increase, sinceStart, type Scope} from './scope.js';
import type {Observation, Server} from './snapshot.js';
import {vllmGeneration} from './vllm-generation.js';

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
	/** The signals to read. @default signalCatalog */
	readonly signals?: SignalCatalog;
	/** Who wrote the page (see `readDialect`, which gives the page in vLLM's names). @default 'vllm' when it has vLLM's names */
	readonly dialect?: DialectId | null;
};

export function deriveSnapshot(
	memory: DeriveMemory | undefined,
	input: DeriveInput,
): {memory: DeriveMemory; observation: Observation} {
	const windowSeconds = input.windowSeconds > 0 ? input.windowSeconds : 60;
	const catalog = input.signals ?? signalCatalog;
	const recorded = recordScrape(
		memory,
		input.page,
		input.at,
		windowSeconds,
		cumulativeNamesOf(catalog),
	);
	const spans: SignalSpans = {
		previous: recorded.previous,
		window: recorded.window,
	};
	const scope = (includes?: (labels: Labels) => boolean): Scope =>
		createScope(input.page, recorded.current, recorded.series, includes);
	const everything = scope();
	const survey = surveyVllm(input.page);
	const {hasVllm} = survey;
	const engines = [...survey.engines].toSorted(compareEngines);
	const models = [...survey.models].toSorted();
	const signals = deriveSignals(everything, spans, {withLora: true}, catalog);
	const cache = readCacheConfig(input.page);
	const perEngine = engines.map(engine => ({
		engine,
		signals: deriveSignals(
			scope(labels => labels['engine'] === engine),
			spans,
			{withLora: false},
			catalog,
		),
	}));
	const observation: Observation = {
		schema: 1,
		target: input.target,
		at: isoFromSeconds(input.at / 1000) ?? new Date(0).toISOString(),
		server: server(input, survey, engines, models),
		signals,
		cache_config: cache.config,
		capacity: hasVllm
			? deriveCapacity({
					kvPoolTokens: cache.kvPoolTokens,
					kvPoolSource: cache.kvPoolSource,
					kvPoolUnknown: cache.kvPoolUnknown,
					...capacitySignals(signals),
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
					engineCount: Math.max(1, engines.length),
				})
			: null,
		per_engine: perEngine,
		engine_spread: engineSpread(perEngine, catalog),
		per_model: models.map(model => ({
			model,
			signals: deriveSignals(
				scope(labels => labels['model_name'] === model),
				spans,
				{withLora: false},
				catalog,
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

/** What the page's `vllm:` samples say about the server, from one pass over the page. */
type VllmSurvey = {
	readonly hasVllm: boolean;
	/** `engine` and `model_name` label values, unordered (callers sort them). */
	readonly engines: ReadonlySet<string>;
	readonly models: ReadonlySet<string>;
	readonly hasCreated: boolean;
	/** The oldest positive `_created` value; +Infinity without one. */
	readonly oldestCreated: number;
};

function surveyVllm(page: Page): VllmSurvey {
	const engines = new Set<string>();
	const models = new Set<string>();
	let hasVllm = false;
	let hasCreated = false;
	let oldestCreated = Number.POSITIVE_INFINITY;
	// By name, so the name is checked once rather than once per sample.
	for (const [name, samples] of page.byName) {
		if (!name.startsWith('vllm:')) {
			continue;
		}

		hasVllm = true;
		const isCreated = name.endsWith('_created');
		for (const sample of samples) {
			const {engine, model_name: model} = sample.labels;
			if (engine !== undefined) {
				engines.add(engine);
			}

			if (model !== undefined) {
				models.add(model);
			}

			if (isCreated) {
				hasCreated = true;
				if (sample.value > 0) {
					oldestCreated = Math.min(oldestCreated, sample.value);
				}
			}
		}
	}

	return {hasVllm, engines, models, hasCreated, oldestCreated};
}

function server(
	input: DeriveInput,
	survey: VllmSurvey,
	engines: readonly string[],
	models: readonly string[],
): Server {
	const {page} = input;
	const version = input.version ?? null;
	const dialect =
		input.dialect === undefined
			? survey.hasVllm
				? 'vllm'
				: null
			: input.dialect;
	return {
		dialect,
		version,
		models,
		engines,
		// SGLang has no engine generations; its names stand in for vLLM's of either one.
		generation:
			dialect === 'sglang'
				? null
				: vllmGeneration({
						hasVllm: survey.hasVllm,
						hasEngineLabel: engines.length > 0,
						hasCreated: survey.hasCreated,
						has: name => page.byName.has(name),
						version,
					}),
		started_at: startedAt(page, survey),
	};
}

/** The process start, else the oldest vLLM `_created` series (a V1 server creates them when it starts). */
function startedAt(page: Page, survey: VllmSurvey): string | null {
	const processStart = page.byName.get('process_start_time_seconds')?.[0]
		?.value;
	if (processStart !== undefined && processStart > 0) {
		return isoFromSeconds(processStart);
	}

	return isoFromSeconds(survey.oldestCreated);
}

/** Null for values no Date can hold (a garbled page must not throw). */
function isoFromSeconds(seconds: number): string | null {
	const date = new Date(seconds * 1000);
	return Number.isFinite(date.getTime()) ? date.toISOString() : null;
}
