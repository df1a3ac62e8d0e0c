/**
One instance's observation from a refresh's answers: the same fields the page-reading path derives (signals of the
server, of each engine and of each model, cache configuration, capacity, engine generation, start time), with the
same shared pieces doing the work where the two paths meet (cache config, capacity, generation, sleep state, LoRA,
spec decode length). What Prometheus cannot tell stays null: no metric carries the vLLM version (it is only on
`/version`).
*/
import {cacheConfigOfEngines, compareEngines} from '../derive/cache-config.js';
import {deriveCapacity} from '../derive/capacity.js';
import {
	loraOf,
	meanAcceptanceLength,
	sleepStateOf,
} from '../derive/derive-signals.js';
import {
	type Observation,
	type Quantiles,
	type Signals,
} from '../derive/snapshot.js';
import {nullSignals} from '../derive/null-signals.js';
import type {Labels} from '../parse/page.js';
import {type LatencyKind, vllmMetric} from '../derive/vllm-metric-names.js';
import {vllmGeneration} from '../derive/vllm-generation.js';
import type {FleetReading, InstanceFacts, Slice} from './fleet-reading.js';
import {
	engineLabel,
	modelLabel,
	type KeyedPanelId,
	type SignalPanelId,
} from './panel-queries.js';

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

/** The signals of one slice of an instance; what Prometheus cannot answer stays null. */
export function signalsOf(
	reading: FleetReading,
	instance: string,
	slice: Slice,
): Signals {
	const get = (panel: SignalPanelId) =>
		finite(reading.value(panel, instance, slice));
	const keyed = (panel: KeyedPanelId) =>
		finiteRecord(reading.keyed(panel, instance, slice));
	const facts = reading.instances.get(instance);
	/**
	Null when no part has an answer (no such histogram); a histogram with nothing observed in the window answers NaN
	(0/0), which reads as all fields null, as on a page.
	*/
	const quantiles = (kind: LatencyKind): Quantiles | null => {
		const stats = ['P50', 'P95', 'P99', 'Mean'] as const;
		if (
			stats.every(
				stat => reading.value(`${kind}${stat}`, instance, slice) === undefined,
			)
		) {
			return null;
		}

		return {
			p50: get(`${kind}P50`),
			p95: get(`${kind}P95`),
			p99: get(`${kind}P99`),
			mean: get(`${kind}Mean`),
		};
	};

	return {
		...nullSignals,
		requests_running: get('running'),
		requests_waiting: get('waiting'),
		requests_waiting_by_reason: keyed('waitingByReason'),
		requests_swapped: get('swapped'),
		kv_cache_usage: get('kv'),
		cpu_kv_cache_usage: get('cpuKv'),
		prompt_tokens_per_s: get('promptRate'),
		generation_tokens_per_s: get('generationRate'),
		requests_per_s: get('requestRate'),
		requests_per_s_by_reason: keyed('requestRateByReason'),
		preemptions_per_s: get('preemptionRate'),
		prefix_cache_hit_rate: get('prefixHitRate'),
		spec_decode_acceptance_rate: get('specAcceptanceRate'),
		spec_decode_mean_acceptance_length: meanAcceptanceLength(
			get('specAcceptedPerDraft'),
		),
		// LoRA info carries no engine or model label, so only the total reports it (as on a page).
		lora:
			slice.kind === 'total' && facts !== undefined
				? loraOf(facts.loraInfo)
				: null,
		sleep_state:
			facts === undefined
				? null
				: sleepStateOf(
						facts.sleepLevels.filter(level => inSlice(level.labels, slice)),
					),
		ttft_seconds: quantiles('ttft'),
		itl_seconds: quantiles('itl'),
		e2e_seconds: quantiles('e2e'),
		queue_seconds: quantiles('queue'),
		prefill_seconds: quantiles('prefill'),
		decode_seconds: quantiles('decode'),
	};
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
			kvCacheUsage: signals.kv_cache_usage,
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
			e2eMeanSeconds: signals.e2e_seconds?.mean ?? null,
			engineCount: Math.max(1, engines.length),
		}),
		// A lone engine or model is the whole instance; the queries send no slice for it.
		per_engine: engines.map(engine => ({
			engine,
			signals:
				engines.length === 1
					? rowSignals
					: signalsOf(reading, instance, {kind: 'engine', name: engine}),
		})),
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
