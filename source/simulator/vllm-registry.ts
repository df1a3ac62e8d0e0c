import {Counter, Gauge, Registry} from 'prom-client';
import {registerProcessStart} from './process-start-gauge.js';
import type {ClusterState} from './cluster-model.js';
import {
	type EngineCounters,
	type EngineEvents,
	finishReasons,
} from './engine-model.js';
import type {Scenario} from './scenarios.js';
import {
	type EngineLabel,
	engineLabels,
	V1RequestHistograms,
} from './vllm-request-histograms.js';

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
};

/** The V1 set of current vLLM main: every family a standard server registers, plus spec decode and LoRA when on. */
export class V1Metrics implements SimulatorMetrics {
	readonly registry = new Registry();
	readonly #setup: MetricsSetup;
	readonly #requests: V1RequestHistograms;
	readonly #synced: Array<EngineCounters | undefined>;

	readonly #running: Gauge<EngineLabel>;
	readonly #waiting: Gauge<EngineLabel>;
	readonly #waitingByReason: Gauge<EngineLabel | 'reason'>;
	readonly #sleepState: Gauge<EngineLabel | 'sleep_state'>;
	readonly #kvUsage: Gauge<EngineLabel>;
	readonly #prefixQueries: Counter<EngineLabel>;
	readonly #prefixHits: Counter<EngineLabel>;
	readonly #preemptions: Counter<EngineLabel>;
	readonly #promptTokens: Counter<EngineLabel>;
	readonly #promptBySource: Counter<EngineLabel | 'source'>;
	readonly #promptCached: Counter<EngineLabel>;
	readonly #generationTokens: Counter<EngineLabel>;
	readonly #success: Counter<EngineLabel | 'finished_reason'>;
	readonly #lora:
		| Gauge<'max_lora' | 'waiting_lora_adapters' | 'running_lora_adapters'>
		| undefined;

	readonly #specDrafts: Counter<EngineLabel> | undefined;
	readonly #specDraftTokens: Counter<EngineLabel> | undefined;
	readonly #specAccepted: Counter<EngineLabel> | undefined;
	readonly #specPerPosition: Counter<EngineLabel | 'position'> | undefined;

	constructor(setup: MetricsSetup) {
		this.#setup = setup;
		this.#synced = Array.from({length: setup.engines}, () => undefined);
		const registers = [this.registry];
		registerProcessStart(this.registry, setup.startTimeSeconds);
		const gauge = <T extends string>(
			name: string,
			help: string,
			labelNames: readonly T[],
		) => new Gauge<T>({name, help, labelNames, registers});
		const counter = <T extends string>(
			name: string,
			help: string,
			labelNames: readonly T[],
		) => new Counter<T>({name, help, labelNames, registers});

		this.#running = gauge(
			'vllm:num_requests_running',
			'Number of requests in model execution batches.',
			engineLabels,
		);
		this.#waiting = gauge(
			'vllm:num_requests_waiting',
			'Number of requests waiting to be processed.',
			engineLabels,
		);
		this.#waitingByReason = gauge(
			'vllm:num_requests_waiting_by_reason',
			"Number of waiting requests by reason. Reason labels: 'capacity' = waiting for scheduling capacity; 'deferred' = deferred by transient constraints (LoRA budget, KV transfer, blocked status). Sum of all reasons equals vllm:num_requests_waiting.",
			[...engineLabels, 'reason'],
		);
		this.#sleepState = gauge(
			'vllm:engine_sleep_state',
			'Engine sleep state; awake = 0 means engine is sleeping; awake = 1 means engine is awake; weights_offloaded = 1 means sleep level 1; discard_all = 1 means sleep level 2.',
			[...engineLabels, 'sleep_state'],
		);
		this.#kvUsage = gauge(
			'vllm:kv_cache_usage_perc',
			'KV-cache usage. 1 means 100 percent usage.',
			engineLabels,
		);
		this.#prefixQueries = counter(
			'vllm:prefix_cache_queries_total',
			'Prefix cache queries, in terms of number of queried tokens.',
			engineLabels,
		);
		this.#prefixHits = counter(
			'vllm:prefix_cache_hits_total',
			'Prefix cache hits, in terms of number of cached tokens.',
			engineLabels,
		);
		const externalQueries = counter(
			'vllm:external_prefix_cache_queries_total',
			'External prefix cache queries from KV connector cross-instance cache sharing, in terms of number of queried tokens.',
			engineLabels,
		);
		const externalHits = counter(
			'vllm:external_prefix_cache_hits_total',
			'External prefix cache hits from KV connector cross-instance cache sharing, in terms of number of cached tokens.',
			engineLabels,
		);
		const mmQueries = counter(
			'vllm:mm_cache_queries_total',
			'Multi-modal cache queries, in terms of number of queried items.',
			engineLabels,
		);
		const mmHits = counter(
			'vllm:mm_cache_hits_total',
			'Multi-modal cache hits, in terms of number of cached items.',
			engineLabels,
		);
		this.#preemptions = counter(
			'vllm:num_preemptions_total',
			'Cumulative number of preemption from the engine.',
			engineLabels,
		);
		this.#promptTokens = counter(
			'vllm:prompt_tokens_total',
			'Number of prefill tokens processed.',
			engineLabels,
		);
		this.#promptBySource = counter(
			'vllm:prompt_tokens_by_source_total',
			'Number of prompt tokens by source.',
			[...engineLabels, 'source'],
		);
		this.#promptCached = counter(
			'vllm:prompt_tokens_cached_total',
			'Number of cached prompt tokens (local + external).',
			engineLabels,
		);
		this.#generationTokens = counter(
			'vllm:generation_tokens_total',
			'Number of generation tokens processed.',
			engineLabels,
		);
		this.#success = counter(
			'vllm:request_success_total',
			'Count of successfully processed requests.',
			[...engineLabels, 'finished_reason'],
		);
		this.#requests = new V1RequestHistograms(
			registers,
			setup.scenario.maxModelLen,
		);
		if (setup.scenario.lora) {
			this.#lora = gauge(
				'vllm:lora_requests_info',
				'Running stats on lora requests.',
				['max_lora', 'waiting_lora_adapters', 'running_lora_adapters'],
			);
		}

		if (setup.scenario.specDecodeTokens > 0) {
			this.#specDrafts = counter(
				'vllm:spec_decode_num_drafts_total',
				'Number of spec decoding drafts.',
				engineLabels,
			);
			this.#specDraftTokens = counter(
				'vllm:spec_decode_num_draft_tokens_total',
				'Number of draft tokens.',
				engineLabels,
			);
			this.#specAccepted = counter(
				'vllm:spec_decode_num_accepted_tokens_total',
				'Number of accepted tokens.',
				engineLabels,
			);
			this.#specPerPosition = counter(
				'vllm:spec_decode_num_accepted_tokens_per_pos_total',
				'Accepted tokens per draft position.',
				[...engineLabels, 'position'],
			);
		}

		const cacheConfig = gauge(
			'vllm:cache_config_info',
			'Information of the LLMEngine CacheConfig',
			[
				'block_size',
				'cache_dtype',
				'enable_prefix_caching',
				'engine',
				'gpu_memory_utilization',
				'num_gpu_blocks',
			],
		);

		// Counters a real server creates at startup show up as zero series before any traffic.
		for (let engine = 0; engine < setup.engines; engine++) {
			const labels = this.#labels(engine);
			for (const zero of [
				externalQueries,
				externalHits,
				mmQueries,
				mmHits,
				this.#prefixQueries,
				this.#prefixHits,
			]) {
				zero.inc(labels, 0);
			}

			for (const zero of [
				this.#preemptions,
				this.#promptTokens,
				this.#promptCached,
				this.#generationTokens,
			]) {
				zero.inc(labels, 0);
			}

			for (const source of [
				'local_compute',
				'local_cache_hit',
				'external_kv_transfer',
			]) {
				this.#promptBySource.inc({...labels, source}, 0);
			}

			for (const reason of finishReasons) {
				this.#success.inc({...labels, finished_reason: reason}, 0);
			}

			for (const zero of [
				this.#specDrafts,
				this.#specDraftTokens,
				this.#specAccepted,
			]) {
				zero?.inc(labels, 0);
			}

			for (
				let position = 0;
				position < setup.scenario.specDecodeTokens;
				position++
			) {
				this.#specPerPosition?.inc({...labels, position: String(position)}, 0);
			}

			cacheConfig.set(
				{
					block_size: String(setup.scenario.blockSize),
					cache_dtype: 'auto',
					enable_prefix_caching: setup.scenario.enablePrefixCaching
						? 'True'
						: 'False',
					engine: String(engine),
					gpu_memory_utilization: '0.9',
					num_gpu_blocks: String(setup.scenario.numGpuBlocks),
				},
				1,
			);
		}
	}

	record(engine: number, events: EngineEvents): void {
		this.#requests.record(this.#labels(engine), events);
	}

	update(state: ClusterState, wallSeconds: number): void {
		const {scenario} = this.#setup;
		const runningAdapters = new Set<string>();
		const waitingAdapters = new Set<string>();
		for (const [engine, engineState] of state.engines.entries()) {
			const labels = this.#labels(engine);
			this.#running.set(labels, engineState.running.length);
			this.#waiting.set(labels, engineState.waiting.length);
			this.#waitingByReason.set(
				{...labels, reason: 'capacity'},
				engineState.waiting.length,
			);
			this.#waitingByReason.set({...labels, reason: 'deferred'}, 0);
			this.#sleepState.set(
				{...labels, sleep_state: 'awake'},
				state.sleepLevel === 0 ? 1 : 0,
			);
			this.#sleepState.set(
				{...labels, sleep_state: 'weights_offloaded'},
				state.sleepLevel === 1 ? 1 : 0,
			);
			this.#sleepState.set(
				{...labels, sleep_state: 'discard_all'},
				state.sleepLevel === 2 ? 1 : 0,
			);
			this.#kvUsage.set(labels, engineState.usedBlocks / scenario.numGpuBlocks);
			const now = engineState.counters;
			const before = this.#synced[engine];
			const delta = (pick: (counters: EngineCounters) => number) =>
				pick(now) - (before ? pick(before) : 0);
			this.#prefixQueries.inc(
				labels,
				delta(c => c.prefixQueries),
			);
			this.#prefixHits.inc(
				labels,
				delta(c => c.prefixHits),
			);
			this.#preemptions.inc(
				labels,
				delta(c => c.preemptions),
			);
			this.#promptTokens.inc(
				labels,
				delta(c => c.promptTokens),
			);
			this.#promptBySource.inc(
				{...labels, source: 'local_compute'},
				delta(c => c.promptTokensComputed),
			);
			this.#promptBySource.inc(
				{...labels, source: 'local_cache_hit'},
				delta(c => c.promptTokensCached),
			);
			this.#promptCached.inc(
				labels,
				delta(c => c.promptTokensCached),
			);
			this.#generationTokens.inc(
				labels,
				delta(c => c.generationTokens),
			);
			for (const reason of finishReasons) {
				this.#success.inc(
					{...labels, finished_reason: reason},
					delta(c => c.finished[reason]),
				);
			}

			this.#specDrafts?.inc(
				labels,
				delta(c => c.specDrafts),
			);
			this.#specDraftTokens?.inc(
				labels,
				delta(c => c.specDraftTokens),
			);
			this.#specAccepted?.inc(
				labels,
				delta(c => c.specAcceptedTokens),
			);
			for (let position = 0; position < scenario.specDecodeTokens; position++) {
				this.#specPerPosition?.inc(
					{...labels, position: String(position)},
					delta(c => c.specAcceptedPerPosition[position] ?? 0),
				);
			}

			this.#synced[engine] = now;
			for (const request of engineState.running) {
				if (request.arrival.lora !== undefined) {
					runningAdapters.add(request.arrival.lora);
				}
			}

			for (const request of engineState.waiting) {
				if (request.arrival.lora !== undefined) {
					waitingAdapters.add(request.arrival.lora);
				}
			}
		}

		if (this.#lora && scenario.lora) {
			// Like vLLM, each adapter set is its own series stamped with the time it was last seen; old sets stay.
			this.#lora.set(
				{
					max_lora: String(scenario.lora.maxLora),
					running_lora_adapters: [...runningAdapters].toSorted().join(','),
					waiting_lora_adapters: [...waitingAdapters].toSorted().join(','),
				},
				wallSeconds,
			);
		}
	}

	async metrics(): Promise<string> {
		return this.registry.metrics();
	}

	#labels(engine: number): Record<EngineLabel, string> {
		return {model_name: this.#setup.modelName, engine: String(engine)};
	}
}
