/**
One instance's observation from a refresh's answers: the same fields the page-reading path derives (signals of the
server, of each engine and of each model, cache configuration, capacity, engine generation, start time), with the
same shared pieces doing the work where the two paths meet (cache config, capacity, generation, sleep state, LoRA,
spec decode length). What Prometheus cannot tell stays null: no metric carries the vLLM version (it is only on
`/version`).
*/
import {cacheConfigOfEngines, compareEngines} from '../derive/cache-config.js';
import {capacitySignals, deriveCapacity} from '../derive/capacity.js';
import {engineSpread} from '../derive/engine-spread.js';
import {quantileStats} from '../catalog/signal-types.js';
import type {Stat} from '../catalog/signal-def.js';
import {signalCatalog} from '../catalog/signals.js';
import {loraOf, sleepStateOf} from '../derive/derive-signals.js';
import type {Observation, Quantiles, Signals} from '../derive/snapshot.js';
import type {Labels} from '../parse/page.js';
import {vllmMetric} from '../catalog/vllm-metrics.js';
import {vllmGeneration} from '../derive/vllm-generation.js';
import type {FleetReading, InstanceFacts, Slice} from './fleet-reading.js';
import {engineLabel, modelLabel} from './panel-queries.js';

function finite(value: number | undefined): number | null {
	return value !== undefined && Number.isFinite(value) ? value : null;
}

function finiteRecord(
	record: Readonly<Record<string, number>> | undefined,
): Readonly<Record<string, number>> | null {
	if (record === undefined) {
		return null;
	}

	const entries = Object.entries(record).filter(([, value]) =>
		Number.isFinite(value),
	);
	return entries.length === 0 ? null : Object.fromEntries(entries);
}

function inSlice(labels: Labels, slice: Slice): boolean {
	return (
		slice.kind === 'total' ||
		labels[slice.kind === 'engine' ? engineLabel : modelLabel] === slice.name
	);
}

/** The signals of one slice of an instance, in catalog order; what Prometheus cannot answer stays null. */
export function signalsOf(
	reading: FleetReading,
	instance: string,
	slice: Slice,
): Signals {
	const get = (panel: string) => finite(reading.value(panel, instance, slice));
	const facts = reading.instances.get(instance);
	/**
	Null when no part has an answer (no such histogram); a histogram with nothing observed in the window answers NaN
	(0/0), which reads as all fields null, as on a page.
	*/
	const quantiles = (key: string): Quantiles | null => {
		const panel = (stat: Stat) => `${key}.${stat}`;
		if (
			quantileStats.every(
				stat => reading.value(panel(stat), instance, slice) === undefined,
			)
		) {
			return null;
		}

		return {
			p50: get(panel('p50')),
			p90: get(panel('p90')),
			p95: get(panel('p95')),
			p99: get(panel('p99')),
			mean: get(panel('mean')),
		};
	};

	const custom = {
		// LoRA info carries no engine or model label, so only the total reports it (as on a page).
		lora: () =>
			slice.kind === 'total' && facts !== undefined
				? loraOf(facts.loraInfo)
				: null,
		sleepState: () =>
			facts === undefined
				? null
				: sleepStateOf(
						facts.sleepLevels.filter(level => inSlice(level.labels, slice)),
					),
	};
	const signals: Record<string, unknown> = {};
	for (const {key, kind} of signalCatalog) {
		switch (kind.type) {
			case 'quantiles': {
				signals[key] = quantiles(key);
				break;
			}

			case 'breakdown': {
				signals[key] = finiteRecord(reading.keyed(key, instance, slice));
				break;
			}

			case 'custom': {
				signals[key] = custom[kind.derivation]();
				break;
			}

			case 'gauge':
			case 'rate':
			case 'ratio':
			case 'total':
			case 'part':
			case 'volume': {
				signals[key] = get(key);
				break;
			}
		}
	}

	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- every key of the catalog, each valued by its kind
	return signals as Signals;
}

export type InstanceObservationInput = {
	readonly reading: FleetReading;
	readonly instance: string;
	readonly facts: InstanceFacts;
	/** Epoch ms of the refresh. */
	readonly at: number;
	readonly windowSeconds: number;
	/** The start time the previous refresh saw (ISO), to tell a restart. */
	readonly previousStartedAt: string | null;
};

export function instanceObservation(
	input: InstanceObservationInput,
): Observation {
	const {reading, instance, facts} = input;
	const engines = [...facts.engines].toSorted(compareEngines);
	const models = [...facts.models].toSorted();
	const signals = signalsOf(reading, instance, {kind: 'total'});
	// A lone engine or model row is the total, but without the LoRA adapters, which only the total reports.
	const rowSignals: Signals = {...signals, lora: null};
	// A lone engine or model is the whole instance; the queries send no slice for it.
	const perEngine = engines.map(engine => ({
		engine,
		signals:
			engines.length === 1
				? rowSignals
				: signalsOf(reading, instance, {kind: 'engine', name: engine}),
	}));
	const cache = cacheConfigOfEngines(facts.cacheConfigs);
	const tokenHistogram = (base: string) => {
		const sum = facts.tokenTotals.get(`${base}_sum`);
		const count = facts.tokenTotals.get(`${base}_count`);
		return sum === undefined || count === undefined ? null : {sum, count};
	};

	const startedAt =
		facts.startedAt === null ? null : isoFromSeconds(facts.startedAt);
	const previous =
		input.previousStartedAt === null
			? Number.NaN
			: Date.parse(input.previousStartedAt);
	const started = startedAt === null ? Number.NaN : Date.parse(startedAt);
	return {
		schema: 1,
		target: instance,
		at: new Date(input.at).toISOString(),
		server: {
			dialect: 'vllm',
			version: null,
			models,
			engines,
			generation: vllmGeneration({
				hasVllm: true,
				hasEngineLabel: engines.length > 0,
				hasCreated: false,
				has: name => facts.families.has(name),
				version: null,
			}),
			started_at: startedAt,
		},
		signals,
		cache_config: cache.config,
		capacity: deriveCapacity({
			kvPoolTokens: cache.kvPoolTokens,
			kvPoolSource: cache.kvPoolSource,
			kvPoolUnknown: cache.kvPoolUnknown,
			...capacitySignals(signals),
			// Rates are increases over one second of the rate window: the same averages and requests per second.
			window: {
				promptTokens: signals.prompt_tokens_per_s,
				generationTokens: signals.generation_tokens_per_s,
				finishedRequests: signals.requests_per_s,
				seconds: 1,
			},
			promptTokensHistogram: tokenHistogram(vllmMetric.promptTokensHistogram),
			generationTokensHistogram: tokenHistogram(
				vllmMetric.generationTokensHistogram,
			),
			engineCount: Math.max(1, engines.length),
		}),
		per_engine: perEngine,
		engine_spread: engineSpread(perEngine, signalCatalog),
		per_model: models.map(model => ({
			model,
			signals:
				models.length === 1
					? rowSignals
					: signalsOf(reading, instance, {kind: 'model', name: model}),
		})),
		// A later start time than the last refresh saw: the server restarted in between (1 s absorbs float noise).
		restarted: started - previous > 1000,
		window_seconds: input.windowSeconds,
	};
}

/** Null for values no Date can hold. */
function isoFromSeconds(seconds: number): string | null {
	const date = new Date(seconds * 1000);
	return Number.isFinite(date.getTime()) ? date.toISOString() : null;
}
