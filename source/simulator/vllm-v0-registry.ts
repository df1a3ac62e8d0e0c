import {Registry} from 'prom-client';
import {registerProcessStart} from './process-start-gauge.js';
import type {ClusterState} from './cluster-model.js';
import type {
	EngineCounters,
	EngineEvents,
	FinishReason,
} from './engine-model.js';
import {type Families, registerFamilies, zeroFamilies} from './family-table.js';
import {v0Families} from './vllm-v0-families.js';
import type {MetricsSetup, SimulatorMetrics} from './vllm-registry.js';

/** V0 logged (and refreshed its throughput gauges) every 5 s. */
const v0LogIntervalSeconds = 5;

/** CPU swap space of a V0 server: 4 GiB at 2 MiB per block for an 8B model. */
const v0NumCpuBlocks = 2048;

/** The V0 engine's set as shipped in vLLM 0.6.3; the families are declared in `vllm-v0-families.ts`. */
export class V0Metrics implements SimulatorMetrics {
	readonly registry = new Registry();
	readonly #setup: MetricsSetup;
	readonly #families: Families<typeof v0Families>;
	#synced: EngineCounters | undefined;
	#logTime = 0;
	#logCounters: EngineCounters | undefined;

	constructor(setup: MetricsSetup) {
		this.#setup = setup;
		const {scenario} = setup;
		registerProcessStart(this.registry, setup.startTimeSeconds);
		this.#families = registerFamilies(
			v0Families,
			this.registry,
			scenario,
			setup.rename,
		);
		this.#families.cacheConfig.set(
			{
				block_size: String(scenario.blockSize),
				cache_dtype: 'auto',
				enable_prefix_caching: scenario.enablePrefixCaching ? 'True' : 'False',
				gpu_memory_utilization: '0.9',
				num_cpu_blocks: String(v0NumCpuBlocks),
				num_gpu_blocks: String(scenario.numGpuBlocks),
				num_gpu_blocks_override: 'None',
				sliding_window: 'None',
				swap_space_bytes: '4294967296',
			},
			1,
		);
		zeroFamilies(v0Families, this.#families, this.#labels());
	}

	record(_engine: number, events: EngineEvents): void {
		const labels = this.#labels();
		for (const {seconds, count} of events.interTokenLatencies) {
			for (let index = 0; index < count; index++) {
				this.#families.tpot.observe(labels, seconds);
			}
		}

		for (const request of events.finished) {
			if (request.reason === 'abort') {
				continue;
			}

			if (request.ttftSeconds !== undefined) {
				this.#families.ttft.observe(labels, request.ttftSeconds);
			}

			this.#families.e2e.observe(labels, request.e2eSeconds);
			this.#families.requestPrompt.observe(labels, request.promptTokens);
			this.#families.requestGeneration.observe(labels, request.generatedTokens);
			this.#families.paramsN.observe(labels, 1);
		}
	}

	update(state: ClusterState): void {
		const engine = state.engines[0];
		if (!engine) {
			return;
		}

		const {scenario} = this.#setup;
		const labels = this.#labels();
		// V0 swapped preempted sequences out to CPU memory instead of dropping their KV.
		const swapped = engine.waiting.filter(
			request => request.preemptions > 0 && request.generatedTokens > 0,
		);
		const swappedBlocks = swapped.reduce(
			(sum, request) =>
				sum +
				Math.ceil(
					(request.arrival.promptTokens + request.generatedTokens) /
						scenario.blockSize,
				),
			0,
		);
		this.#families.running.set(labels, engine.running.length);
		this.#families.waiting.set(labels, engine.waiting.length - swapped.length);
		this.#families.swapped.set(labels, swapped.length);
		this.#families.gpuUsage.set(
			labels,
			engine.usedBlocks / scenario.numGpuBlocks,
		);
		this.#families.cpuUsage.set(
			labels,
			Math.min(1, swappedBlocks / v0NumCpuBlocks),
		);
		const now = engine.counters;
		const before = this.#synced;
		const delta = (pick: (counters: EngineCounters) => number) =>
			pick(now) - (before ? pick(before) : 0);
		this.#families.preemptions.inc(
			labels,
			delta(c => c.preemptions),
		);
		this.#families.promptTokens.inc(
			labels,
			delta(c => c.promptTokens),
		);
		this.#families.generationTokens.inc(
			labels,
			delta(c => c.generationTokens),
		);
		for (const reason of ['stop', 'length', 'abort'] satisfies FinishReason[]) {
			const finished = delta(c => c.finished[reason]);
			if (finished > 0) {
				this.#families.success.inc(
					{...labels, finished_reason: reason},
					finished,
				);
			}
		}

		this.#synced = now;
		if (
			state.time - this.#logTime >= v0LogIntervalSeconds ||
			this.#logCounters === undefined
		) {
			this.#log(state.time, now);
		}
	}

	async metrics(): Promise<string> {
		return this.registry.metrics();
	}

	/** The gauges V0 refreshed only when it logged its stats. */
	#log(time: number, now: EngineCounters): void {
		const {enablePrefixCaching} = this.#setup.scenario;
		const families = this.#families;
		const labels = this.#labels();
		const previous = this.#logCounters;
		const elapsed = time - this.#logTime;
		if (previous && elapsed > 0) {
			families.avgPrompt.set(
				labels,
				(now.promptTokens - previous.promptTokens) / elapsed,
			);
			families.avgGeneration.set(
				labels,
				(now.generationTokens - previous.generationTokens) / elapsed,
			);
			const queries = now.prefixQueries - previous.prefixQueries;
			const hitRate =
				queries > 0 ? (now.prefixHits - previous.prefixHits) / queries : 0;
			families.gpuHitRate.set(labels, enablePrefixCaching ? hitRate : -1);
		} else {
			families.avgPrompt.set(labels, 0);
			families.avgGeneration.set(labels, 0);
			families.gpuHitRate.set(labels, enablePrefixCaching ? 0 : -1);
		}

		families.cpuHitRate.set(labels, enablePrefixCaching ? 0 : -1);
		this.#logTime = time;
		this.#logCounters = now;
	}

	#labels(): Record<'model_name', string> {
		return {model_name: this.#setup.modelName};
	}
}
