import {Counter, Gauge, Histogram, Registry} from 'prom-client';
import type {ClusterState} from './cluster-model.js';
import type {EngineCounters, EngineEvents} from './engine-model.js';
import {registerProcessStart} from './process-start-gauge.js';
import type {MetricsSetup, SimulatorMetrics} from './vllm-registry.js';

/**
The same simulated engines as SGLang reports them (python/sglang/srt/metrics/collector.py): the scheduler's gauges,
its retraction counter and queue-time histogram per data-parallel rank (`dp_rank` when there are several), and the
tokenizer manager's token counters and latency histograms for the whole server, labelled with the model only.
*/

const ttftBuckets = [
	0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400,
];
const itlBuckets = [
	0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06,
	0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8,
];
const e2eBuckets = [
	0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400,
	600, 1200, 1800, 2400,
];
const queueBuckets = [
	0, 0.1, 0.2, 0.5, 1, 2, 3, 4, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100,
	200, 300, 400, 500, 600, 700, 800, 900, 1000, 1200, 1400, 1600, 1800, 2000,
	2500, 3000,
];

type SchedulerLabel =
	'model_name' | 'engine_type' | 'tp_rank' | 'pp_rank' | 'dp_rank';

export class SglangMetrics implements SimulatorMetrics {
	readonly registry = new Registry();
	readonly #setup: MetricsSetup;
	readonly #synced: Array<{counters: EngineCounters; wall: number} | undefined>;
	readonly #gauges: Readonly<Record<string, Gauge<SchedulerLabel>>>;
	readonly #retracted: Counter<SchedulerLabel>;
	readonly #queue: Histogram<SchedulerLabel>;
	readonly #counters: Readonly<Record<string, Counter<'model_name'>>>;
	readonly #ttft: Histogram<'model_name'>;
	readonly #itl: Histogram<'model_name'>;
	readonly #e2e: Histogram<'model_name'>;

	constructor(setup: MetricsSetup) {
		this.#setup = setup;
		this.#synced = Array.from({length: setup.engines}, () => undefined);
		const registers = [this.registry];
		registerProcessStart(this.registry, setup.startTimeSeconds);
		const scheduler: SchedulerLabel[] = [
			'model_name',
			'engine_type',
			'tp_rank',
			'pp_rank',
			...(setup.engines > 1 ? (['dp_rank'] as const) : []),
		];
		this.#gauges = schedulerGauges(scheduler, registers);
		this.#retracted = new Counter({
			name: 'sglang:num_retracted_requests_total',
			help: 'Total number of retracted requests.',
			labelNames: scheduler,
			registers,
		});
		this.#queue = new Histogram({
			name: 'sglang:queue_time_seconds',
			help: 'Histogram of queueing time in seconds.',
			labelNames: scheduler,
			buckets: queueBuckets,
			registers,
		});
		const labelNames = ['model_name'] as const;
		const counter = (name: string, help: string) =>
			new Counter({name, help, labelNames, registers});
		this.#counters = {
			prompt: counter(
				'sglang:prompt_tokens_total',
				'Number of prefill tokens processed.',
			),
			generation: counter(
				'sglang:generation_tokens_total',
				'Number of generation tokens processed.',
			),
			cached: counter(
				'sglang:cached_tokens_total',
				'Number of cached prompt tokens.',
			),
			requests: counter(
				'sglang:num_requests_total',
				'Number of requests processed.',
			),
			aborted: counter(
				'sglang:num_aborted_requests_total',
				'Number of requests aborted.',
			),
		};
		const histogram = (name: string, help: string, buckets: number[]) =>
			new Histogram({name, help, labelNames, buckets, registers});
		this.#ttft = histogram(
			'sglang:time_to_first_token_seconds',
			'Histogram of time to first token in seconds.',
			ttftBuckets,
		);
		this.#itl = histogram(
			'sglang:inter_token_latency_seconds',
			'Histogram of inter-token latency in seconds.',
			itlBuckets,
		);
		this.#e2e = histogram(
			'sglang:e2e_request_latency_seconds',
			'Histogram of End-to-end request latency in seconds',
			e2eBuckets,
		);
		for (const engine of this.#synced.keys()) {
			this.#retracted.inc(this.#labels(engine), 0);
		}

		for (const each of Object.values(this.#counters)) {
			each.inc(this.#model(), 0);
		}
	}

	record(engine: number, events: EngineEvents): void {
		const model = this.#model();
		for (const {seconds, count} of events.interTokenLatencies) {
			for (let index = 0; index < count; index++) {
				this.#itl.observe(model, seconds);
			}
		}

		for (const request of events.finished) {
			if (request.reason === 'abort') {
				this.#counters['aborted']!.inc(model);
				continue;
			}

			this.#counters['requests']!.inc(model);
			if (request.ttftSeconds !== undefined) {
				this.#ttft.observe(model, request.ttftSeconds);
			}

			this.#e2e.observe(model, request.e2eSeconds);
			this.#queue.observe(this.#labels(engine), request.queueSeconds);
		}
	}

	update(state: ClusterState, wallSeconds: number): void {
		const {scenario} = this.#setup;
		const pool = scenario.numGpuBlocks * scenario.blockSize;
		const model = this.#model();
		for (const [engine, engineState] of state.engines.entries()) {
			const labels = this.#labels(engine);
			const now = engineState.counters;
			const before = this.#synced[engine];
			const delta = (pick: (counters: EngineCounters) => number) =>
				pick(now) - (before ? pick(before.counters) : 0);
			const seconds = before ? wallSeconds - before.wall : 0;
			const queries = delta(c => c.prefixQueries);
			const drafts = delta(c => c.specDraftTokens);
			const steps = delta(c => c.specDrafts);
			const set = (key: string, value: number) => {
				this.#gauges[key]!.set(labels, value);
			};

			set('running', engineState.running.length);
			set('queue', engineState.waiting.length);
			set('used', engineState.usedBlocks * scenario.blockSize);
			set('usage', engineState.usedBlocks / scenario.numGpuBlocks);
			set('pool', pool);
			set(
				'throughput',
				seconds > 0 ? delta(c => c.generationTokens) / seconds : 0,
			);
			set('hitRate', queries > 0 ? delta(c => c.prefixHits) / queries : 0);
			// SGLang logs 0 for both while speculative decoding is off.
			const accepted = delta(c => c.specAcceptedTokens);
			set('acceptRate', drafts > 0 ? accepted / drafts : 0);
			set('acceptLength', steps > 0 ? 1 + accepted / steps : 0);
			this.#retracted.inc(
				labels,
				delta(c => c.preemptions),
			);
			this.#counters['prompt']!.inc(
				model,
				delta(c => c.promptTokens),
			);
			this.#counters['cached']!.inc(
				model,
				delta(c => c.promptTokensCached),
			);
			this.#counters['generation']!.inc(
				model,
				delta(c => c.generationTokens),
			);
			this.#synced[engine] = {counters: now, wall: wallSeconds};
		}
	}

	async metrics(): Promise<string> {
		return this.registry.metrics();
	}

	#model(): Record<'model_name', string> {
		return {model_name: this.#setup.modelName};
	}

	#labels(engine: number): Partial<Record<SchedulerLabel, string>> {
		return {
			...this.#model(),
			engine_type: 'unified',
			tp_rank: '0',
			pp_rank: '0',
			...(this.#setup.engines > 1 ? {dp_rank: String(engine)} : {}),
		};
	}
}

/** The scheduler's gauges, each with one series per data-parallel rank. */
function schedulerGauges(
	scheduler: readonly SchedulerLabel[],
	registers: Registry[],
): Readonly<Record<string, Gauge<SchedulerLabel>>> {
	const gauge = (name: string, help: string) =>
		new Gauge({name, help, labelNames: scheduler, registers});
	return {
		running: gauge(
			'sglang:num_running_reqs',
			'The number of running requests.',
		),
		used: gauge('sglang:num_used_tokens', 'The number of used tokens.'),
		usage: gauge('sglang:token_usage', 'The token usage.'),
		throughput: gauge(
			'sglang:gen_throughput',
			'The generation throughput (token/s).',
		),
		queue: gauge(
			'sglang:num_queue_reqs',
			'The number of requests in the waiting queue.',
		),
		hitRate: gauge('sglang:cache_hit_rate', 'The prefix cache hit rate.'),
		pool: gauge(
			'sglang:max_total_num_tokens',
			'Maximum total number of tokens in the KV cache pool.',
		),
		acceptLength: gauge(
			'sglang:spec_accept_length',
			'The average acceptance length of speculative decoding.',
		),
		acceptRate: gauge(
			'sglang:spec_accept_rate',
			'The average acceptance rate of speculative decoding (`accepted tokens / total draft tokens` in batch).',
		),
	};
}
