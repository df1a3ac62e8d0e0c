import {Counter, Gauge, Histogram, Registry} from 'prom-client';
import {registerProcessStart} from './process-start-gauge.js';
import type {ClusterState} from './cluster-model.js';
import type {
	EngineCounters,
	EngineEvents,
	FinishReason,
} from './engine-model.js';
import {
	build125Buckets,
	requestParamsNBuckets,
	v0E2eBuckets,
	v0TpotBuckets,
	v0TtftBuckets,
} from './vllm-buckets.js';
import type {MetricsSetup, SimulatorMetrics} from './vllm-registry.js';

/** V0 logged (and refreshed its throughput gauges) every 5 s. */
const v0LogIntervalSeconds = 5;

/** CPU swap space of a V0 server: 4 GiB at 2 MiB per block for an 8B model. */
const v0NumCpuBlocks = 2048;

/**
The V0 engine's set as shipped in vLLM 0.6.3 (vllm/engine/metrics.py): `model_name` is the only label, swapped and CPU
cache gauges exist, TPOT instead of ITL, and a prefix-cache hit-rate gauge instead of counters.
*/
export class V0Metrics implements SimulatorMetrics {
	readonly registry = new Registry();
	readonly #setup: MetricsSetup;
	#synced: EngineCounters | undefined;
	#logTime = 0;
	#logCounters: EngineCounters | undefined;

	readonly #running: Gauge<'model_name'>;
	readonly #waiting: Gauge<'model_name'>;
	readonly #swapped: Gauge<'model_name'>;
	readonly #gpuUsage: Gauge<'model_name'>;
	readonly #cpuUsage: Gauge<'model_name'>;
	readonly #cpuHitRate: Gauge<'model_name'>;
	readonly #gpuHitRate: Gauge<'model_name'>;
	readonly #preemptions: Counter<'model_name'>;
	readonly #promptTokens: Counter<'model_name'>;
	readonly #generationTokens: Counter<'model_name'>;
	readonly #ttft: Histogram<'model_name'>;
	readonly #tpot: Histogram<'model_name'>;
	readonly #e2e: Histogram<'model_name'>;
	readonly #requestPrompt: Histogram<'model_name'>;
	readonly #requestGeneration: Histogram<'model_name'>;
	readonly #paramsN: Histogram<'model_name'>;
	readonly #success: Counter<'model_name' | 'finished_reason'>;
	readonly #avgPrompt: Gauge<'model_name'>;
	readonly #avgGeneration: Gauge<'model_name'>;

	constructor(setup: MetricsSetup) {
		this.#setup = setup;
		const registers = [this.registry];
		registerProcessStart(this.registry, setup.startTimeSeconds);
		const labelNames = ['model_name'] as const;
		const gauge = (name: string, help: string) =>
			new Gauge<'model_name'>({name, help, labelNames, registers});
		const counter = (name: string, help: string) =>
			new Counter<'model_name'>({name, help, labelNames, registers});
		const histogram = (
			name: string,
			help: string,
			buckets: readonly number[],
		) =>
			new Histogram<'model_name'>({
				name,
				help,
				labelNames,
				buckets: [...buckets],
				registers,
			});
		const tokenBuckets = build125Buckets(setup.scenario.maxModelLen);
		const {scenario} = setup;

		const cacheConfig = new Gauge({
			name: 'vllm:cache_config_info',
			help: 'Information of the LLMEngine CacheConfig',
			labelNames: [
				'block_size',
				'cache_dtype',
				'enable_prefix_caching',
				'gpu_memory_utilization',
				'num_cpu_blocks',
				'num_gpu_blocks',
				'num_gpu_blocks_override',
				'sliding_window',
				'swap_space_bytes',
			],
			registers,
		});
		cacheConfig.set(
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
		this.#running = gauge(
			'vllm:num_requests_running',
			'Number of requests currently running on GPU.',
		);
		this.#waiting = gauge(
			'vllm:num_requests_waiting',
			'Number of requests waiting to be processed.',
		);
		this.#swapped = gauge(
			'vllm:num_requests_swapped',
			'Number of requests swapped to CPU.',
		);
		this.#gpuUsage = gauge(
			'vllm:gpu_cache_usage_perc',
			'GPU KV-cache usage. 1 means 100 percent usage.',
		);
		this.#cpuUsage = gauge(
			'vllm:cpu_cache_usage_perc',
			'CPU KV-cache usage. 1 means 100 percent usage.',
		);
		this.#cpuHitRate = gauge(
			'vllm:cpu_prefix_cache_hit_rate',
			'CPU prefix cache block hit rate.',
		);
		this.#gpuHitRate = gauge(
			'vllm:gpu_prefix_cache_hit_rate',
			'GPU prefix cache block hit rate.',
		);
		this.#preemptions = counter(
			'vllm:num_preemptions_total',
			'Cumulative number of preemption from the engine.',
		);
		this.#promptTokens = counter(
			'vllm:prompt_tokens_total',
			'Number of prefill tokens processed.',
		);
		this.#generationTokens = counter(
			'vllm:generation_tokens_total',
			'Number of generation tokens processed.',
		);
		this.#ttft = histogram(
			'vllm:time_to_first_token_seconds',
			'Histogram of time to first token in seconds.',
			v0TtftBuckets,
		);
		this.#tpot = histogram(
			'vllm:time_per_output_token_seconds',
			'Histogram of time per output token in seconds.',
			v0TpotBuckets,
		);
		this.#e2e = histogram(
			'vllm:e2e_request_latency_seconds',
			'Histogram of end to end request latency in seconds.',
			v0E2eBuckets,
		);
		this.#requestPrompt = histogram(
			'vllm:request_prompt_tokens',
			'Number of prefill tokens processed.',
			tokenBuckets,
		);
		this.#requestGeneration = histogram(
			'vllm:request_generation_tokens',
			'Number of generation tokens processed.',
			tokenBuckets,
		);
		this.#paramsN = histogram(
			'vllm:request_params_n',
			'Histogram of the n request parameter.',
			requestParamsNBuckets,
		);
		this.#success = new Counter({
			name: 'vllm:request_success_total',
			help: 'Count of successfully processed requests.',
			labelNames: ['model_name', 'finished_reason'],
			registers,
		});
		this.#avgPrompt = gauge(
			'vllm:avg_prompt_throughput_toks_per_s',
			'Average prefill throughput in tokens/s.',
		);
		this.#avgGeneration = gauge(
			'vllm:avg_generation_throughput_toks_per_s',
			'Average generation throughput in tokens/s.',
		);
		const labels = this.#labels();
		for (const zero of [
			this.#preemptions,
			this.#promptTokens,
			this.#generationTokens,
		]) {
			zero.inc(labels, 0);
		}
	}

	record(_engine: number, events: EngineEvents): void {
		const labels = this.#labels();
		for (const {seconds, count} of events.interTokenLatencies) {
			for (let index = 0; index < count; index++) {
				this.#tpot.observe(labels, seconds);
			}
		}

		for (const request of events.finished) {
			if (request.reason === 'abort') {
				continue;
			}

			if (request.ttftSeconds !== undefined) {
				this.#ttft.observe(labels, request.ttftSeconds);
			}

			this.#e2e.observe(labels, request.e2eSeconds);
			this.#requestPrompt.observe(labels, request.promptTokens);
			this.#requestGeneration.observe(labels, request.generatedTokens);
			this.#paramsN.observe(labels, 1);
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
		this.#running.set(labels, engine.running.length);
		this.#waiting.set(labels, engine.waiting.length - swapped.length);
		this.#swapped.set(labels, swapped.length);
		this.#gpuUsage.set(labels, engine.usedBlocks / scenario.numGpuBlocks);
		this.#cpuUsage.set(labels, Math.min(1, swappedBlocks / v0NumCpuBlocks));
		const now = engine.counters;
		const before = this.#synced;
		const delta = (pick: (counters: EngineCounters) => number) =>
			pick(now) - (before ? pick(before) : 0);
		this.#preemptions.inc(
			labels,
			delta(c => c.preemptions),
		);
		this.#promptTokens.inc(
			labels,
			delta(c => c.promptTokens),
		);
		this.#generationTokens.inc(
			labels,
			delta(c => c.generationTokens),
		);
		for (const reason of ['stop', 'length', 'abort'] satisfies FinishReason[]) {
			const finished = delta(c => c.finished[reason]);
			if (finished > 0) {
				this.#success.inc({...labels, finished_reason: reason}, finished);
			}
		}

		this.#synced = now;
		if (
			state.time - this.#logTime >= v0LogIntervalSeconds ||
			this.#logCounters === undefined
		) {
			const previous = this.#logCounters;
			const elapsed = state.time - this.#logTime;
			if (previous && elapsed > 0) {
				this.#avgPrompt.set(
					labels,
					(now.promptTokens - previous.promptTokens) / elapsed,
				);
				this.#avgGeneration.set(
					labels,
					(now.generationTokens - previous.generationTokens) / elapsed,
				);
				const queries = now.prefixQueries - previous.prefixQueries;
				this.#gpuHitRate.set(
					labels,
					scenario.enablePrefixCaching
						? queries > 0
							? (now.prefixHits - previous.prefixHits) / queries
							: 0
						: -1,
				);
			} else {
				this.#avgPrompt.set(labels, 0);
				this.#avgGeneration.set(labels, 0);
				this.#gpuHitRate.set(labels, scenario.enablePrefixCaching ? 0 : -1);
			}

			this.#cpuHitRate.set(labels, scenario.enablePrefixCaching ? 0 : -1);
			this.#logTime = state.time;
			this.#logCounters = now;
		}
	}

	async metrics(): Promise<string> {
		return this.registry.metrics();
	}

	#labels(): Record<'model_name', string> {
		return {model_name: this.#setup.modelName};
	}
}
