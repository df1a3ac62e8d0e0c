import {Registry} from 'prom-client';
import {registerProcessStart} from './process-start-gauge.js';
import type {ClusterState} from './cluster-model.js';
import {
	type EngineCounters,
	type EngineEvents,
	type EngineState,
	finishReasons,
} from './engine-model.js';
import {ApiServerMetrics} from './api-server-families.js';
import {type Families, registerFamilies, zeroFamilies} from './family-table.js';
import {KvOffloadMetrics} from './kv-offload-families.js';
import type {Scenario} from './scenarios.js';
import {recordRequestHistograms} from './vllm-request-histograms.js';
import {type EngineLabel, v1Families} from './vllm-v1-families.js';

/**
The `/metrics` side of the simulated server. Names, HELP texts, label names and bucket lists are vLLM's own, and
prom-client writes the page, so the bytes are what a standard Prometheus client produces rather than a hand-made
imitation.
*/
export type SimulatorMetrics = {
	/** Feeds one engine's histogram observations since the last call. */
	record(engine: number, events: EngineEvents): void;
	/** Brings gauges and counters up to the model state. `wallSeconds` is the unix time the sim clock stands for. */
	update(state: ClusterState, wallSeconds: number): void;
	metrics(): Promise<string>;
};

export type MetricsSetup = {
	readonly scenario: Scenario;
	readonly modelName: string;
	readonly engines: number;
	/** Unix seconds the simulated server (re)started. */
	readonly startTimeSeconds: number;
	/** The name each family goes by on the page: another server's prefix (see `ray-dialect.ts`). @default the name */
	readonly rename?: (name: string) => string;
};

type EngineLabels = Record<EngineLabel, string>;
type Delta = (pick: (counters: EngineCounters) => number) => number;

const promptSources = [
	'local_compute',
	'local_cache_hit',
	'external_kv_transfer',
] as const;

/** The V1 set of current vLLM main: every family a standard server registers, plus spec decode and LoRA when on. */
export class V1Metrics implements SimulatorMetrics {
	readonly registry = new Registry();
	readonly #setup: MetricsSetup;
	readonly #families: Families<typeof v1Families>;
	readonly #synced: Array<EngineCounters | undefined>;
	readonly #apiServer: ApiServerMetrics;
	readonly #kvOffload: KvOffloadMetrics | undefined;

	constructor(setup: MetricsSetup) {
		this.#setup = setup;
		this.#synced = Array.from({length: setup.engines}, () => undefined);
		registerProcessStart(this.registry, setup.startTimeSeconds);
		this.#families = registerFamilies(
			v1Families,
			this.registry,
			setup.scenario,
			setup.rename,
		);
		for (let engine = 0; engine < setup.engines; engine++) {
			this.#zero(engine);
		}

		const engines = this.#synced.map((_, engine) => this.#labels(engine));
		this.#apiServer = new ApiServerMetrics(
			this.registry,
			setup.scenario,
			engines,
		);
		this.#kvOffload = setup.scenario.kvOffload
			? new KvOffloadMetrics(
					this.registry,
					setup.scenario,
					{
						queries: this.#families.externalQueries,
						hits: this.#families.externalHits,
					},
					engines,
				)
			: undefined;
	}

	record(engine: number, events: EngineEvents): void {
		recordRequestHistograms(this.#families, this.#labels(engine), events);
		this.#apiServer.record(this.#labels(engine), events);
	}

	update(state: ClusterState, wallSeconds: number): void {
		for (const [engine, engineState] of state.engines.entries()) {
			const labels = this.#labels(engine);
			this.#updateGauges(labels, engineState, state);
			const now = engineState.counters;
			const before = this.#synced[engine];
			const delta: Delta = pick => pick(now) - (before ? pick(before) : 0);
			this.#updateCounters(labels, delta);
			this.#kvOffload?.update(
				labels,
				delta,
				engineState.usedBlocks / this.#setup.scenario.numGpuBlocks,
			);
			this.#synced[engine] = now;
		}

		this.#updateLora(state, wallSeconds);
	}

	async metrics(): Promise<string> {
		return this.registry.metrics();
	}

	/** The series a real server creates at start-up, before any traffic. */
	#zero(engine: number): void {
		const families = this.#families;
		const {scenario} = this.#setup;
		const labels = this.#labels(engine);
		zeroFamilies(v1Families, families, labels);
		for (const source of promptSources) {
			families.promptBySource.inc({...labels, source}, 0);
		}

		for (const reason of finishReasons) {
			families.success.inc({...labels, finished_reason: reason}, 0);
		}

		for (let position = 0; position < scenario.specDecodeTokens; position++) {
			families.specPerPosition?.inc({...labels, position: String(position)}, 0);
		}

		families.cacheConfig.set(
			{
				block_size: String(scenario.blockSize),
				cache_dtype: 'auto',
				enable_prefix_caching: scenario.enablePrefixCaching ? 'True' : 'False',
				engine: String(engine),
				gpu_memory_utilization: '0.9',
				// Every 2026 page has the label, "None" unless the model is hybrid attention/mamba, whose unified pages
				// hold many tokens each, so it reports few blocks.
				mamba_block_size: scenario.hybrid ? '65536' : 'None',
				num_gpu_blocks: String(
					scenario.hybrid
						? Math.ceil(scenario.numGpuBlocks / 16)
						: scenario.numGpuBlocks,
				),
			},
			1,
		);
	}

	#updateGauges(
		labels: EngineLabels,
		engineState: EngineState,
		state: ClusterState,
	): void {
		const families = this.#families;
		families.running.set(labels, engineState.running.length);
		families.waiting.set(labels, engineState.waiting.length);
		families.waitingByReason.set(
			{...labels, reason: 'capacity'},
			engineState.waiting.length,
		);
		families.waitingByReason.set({...labels, reason: 'deferred'}, 0);
		const sleepStates = ['awake', 'weights_offloaded', 'discard_all'] as const;
		for (const [level, sleepState] of sleepStates.entries()) {
			families.sleepState.set(
				{...labels, sleep_state: sleepState},
				state.sleepLevel === level ? 1 : 0,
			);
		}

		families.kvUsage.set(
			labels,
			engineState.usedBlocks / this.#setup.scenario.numGpuBlocks,
		);
	}

	#updateCounters(labels: EngineLabels, delta: Delta): void {
		const families = this.#families;
		families.prefixQueries.inc(
			labels,
			delta(c => c.prefixQueries),
		);
		families.prefixHits.inc(
			labels,
			delta(c => c.prefixHits),
		);
		families.preemptions.inc(
			labels,
			delta(c => c.preemptions),
		);
		families.promptTokens.inc(
			labels,
			delta(c => c.promptTokens),
		);
		families.promptBySource.inc(
			{...labels, source: 'local_compute'},
			delta(c => c.promptTokensComputed),
		);
		families.promptBySource.inc(
			{...labels, source: 'local_cache_hit'},
			delta(c => c.promptTokensCached),
		);
		families.promptCached.inc(
			labels,
			delta(c => c.promptTokensCached),
		);
		families.generationTokens.inc(
			labels,
			delta(c => c.generationTokens),
		);
		for (const reason of finishReasons) {
			families.success.inc(
				{...labels, finished_reason: reason},
				delta(c => c.finished[reason]),
			);
		}

		families.specDrafts?.inc(
			labels,
			delta(c => c.specDrafts),
		);
		families.specDraftTokens?.inc(
			labels,
			delta(c => c.specDraftTokens),
		);
		families.specAccepted?.inc(
			labels,
			delta(c => c.specAcceptedTokens),
		);
		const positions = this.#setup.scenario.specDecodeTokens;
		for (let position = 0; position < positions; position++) {
			families.specPerPosition?.inc(
				{...labels, position: String(position)},
				delta(c => c.specAcceptedPerPosition[position] ?? 0),
			);
		}
	}

	/** Like vLLM, each adapter set is its own series stamped with the time it was last seen; old sets stay. */
	#updateLora(state: ClusterState, wallSeconds: number): void {
		const {lora} = this.#setup.scenario;
		if (!lora || !this.#families.lora) {
			return;
		}

		const adapters = (pick: (engine: EngineState) => EngineState['running']) =>
			[
				...new Set(
					state.engines.flatMap(engine =>
						pick(engine).flatMap(request =>
							request.arrival.lora === undefined ? [] : [request.arrival.lora],
						),
					),
				),
			]
				.toSorted()
				.join(',');
		this.#families.lora.set(
			{
				max_lora: String(lora.maxLora),
				running_lora_adapters: adapters(engine => engine.running),
				waiting_lora_adapters: adapters(engine => engine.waiting),
			},
			wallSeconds,
		);
	}

	#labels(engine: number): EngineLabels {
		return {model_name: this.#setup.modelName, engine: String(engine)};
	}
}
