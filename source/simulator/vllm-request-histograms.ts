import {Histogram, type Registry} from 'prom-client';
import type {EngineEvents} from './engine-model.js';
import {
	build125Buckets,
	interTokenBuckets,
	iterationTokenBuckets,
	requestLatencyBuckets,
	requestParamsNBuckets,
	ttftBuckets,
} from './vllm-buckets.js';

export const engineLabels = ['model_name', 'engine'] as const;
export type EngineLabel = (typeof engineLabels)[number];

/**
vLLM V1's per-step and per-request histograms: what the engine observes each step and as each request finishes
(vllm/v1/metrics/loggers.py). Apart from the gauges and counters, which follow the model state instead.
*/
export class V1RequestHistograms {
	readonly #requestPrompt: Histogram<EngineLabel>;
	readonly #requestGeneration: Histogram<EngineLabel>;
	readonly #iterationTokens: Histogram<EngineLabel>;
	readonly #maxGeneration: Histogram<EngineLabel>;
	readonly #paramsN: Histogram<EngineLabel>;
	readonly #paramsMaxTokens: Histogram<EngineLabel>;
	readonly #ttft: Histogram<EngineLabel>;
	readonly #itl: Histogram<EngineLabel>;
	readonly #tpot: Histogram<EngineLabel>;
	readonly #e2e: Histogram<EngineLabel>;
	readonly #queue: Histogram<EngineLabel>;
	readonly #inference: Histogram<EngineLabel>;
	readonly #prefill: Histogram<EngineLabel>;
	readonly #decode: Histogram<EngineLabel>;
	readonly #prefillComputed: Histogram<EngineLabel>;

	constructor(registers: Registry[], maxModelLen: number) {
		const histogram = (
			name: string,
			help: string,
			buckets: readonly number[],
		) =>
			new Histogram<EngineLabel>({
				name,
				help,
				labelNames: engineLabels,
				buckets: [...buckets],
				registers,
			});
		const tokenBuckets = build125Buckets(maxModelLen);
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
		this.#iterationTokens = histogram(
			'vllm:iteration_tokens_total',
			'Histogram of number of tokens per engine_step.',
			iterationTokenBuckets,
		);
		this.#maxGeneration = histogram(
			'vllm:request_max_num_generation_tokens',
			'Histogram of maximum number of requested generation tokens.',
			tokenBuckets,
		);
		this.#paramsN = histogram(
			'vllm:request_params_n',
			'Histogram of the n request parameter.',
			requestParamsNBuckets,
		);
		this.#paramsMaxTokens = histogram(
			'vllm:request_params_max_tokens',
			'Histogram of the max_tokens request parameter.',
			tokenBuckets,
		);
		this.#ttft = histogram(
			'vllm:time_to_first_token_seconds',
			'Histogram of time to first token in seconds.',
			ttftBuckets,
		);
		this.#itl = histogram(
			'vllm:inter_token_latency_seconds',
			'Histogram of inter-token latency in seconds.',
			interTokenBuckets,
		);
		this.#tpot = histogram(
			'vllm:request_time_per_output_token_seconds',
			'Histogram of time_per_output_token_seconds per request.',
			interTokenBuckets,
		);
		this.#e2e = histogram(
			'vllm:e2e_request_latency_seconds',
			'Histogram of e2e request latency in seconds.',
			requestLatencyBuckets,
		);
		this.#queue = histogram(
			'vllm:request_queue_time_seconds',
			'Histogram of time spent in WAITING phase for request.',
			requestLatencyBuckets,
		);
		this.#inference = histogram(
			'vllm:request_inference_time_seconds',
			'Histogram of time spent in RUNNING phase for request.',
			requestLatencyBuckets,
		);
		this.#prefill = histogram(
			'vllm:request_prefill_time_seconds',
			'Histogram of time spent in PREFILL phase for request.',
			requestLatencyBuckets,
		);
		this.#decode = histogram(
			'vllm:request_decode_time_seconds',
			'Histogram of time spent in DECODE phase for request.',
			requestLatencyBuckets,
		);
		this.#prefillComputed = histogram(
			'vllm:request_prefill_kv_computed_tokens',
			'Histogram of new KV tokens computed during prefill (excluding cached tokens).',
			tokenBuckets,
		);
	}

	record(labels: Record<EngineLabel, string>, events: EngineEvents): void {
		for (const tokens of events.iterationTokens) {
			this.#iterationTokens.observe(labels, tokens);
		}

		for (const {seconds, count} of events.interTokenLatencies) {
			for (let index = 0; index < count; index++) {
				this.#itl.observe(labels, seconds);
			}
		}

		for (const request of events.finished) {
			if (request.reason === 'abort') {
				continue;
			}

			this.#requestPrompt.observe(labels, request.promptTokens);
			this.#requestGeneration.observe(labels, request.generatedTokens);
			this.#maxGeneration.observe(labels, request.generationLimit);
			this.#paramsN.observe(labels, 1);
			if (request.maxTokensParam !== undefined) {
				this.#paramsMaxTokens.observe(labels, request.maxTokensParam);
			}

			if (request.ttftSeconds !== undefined) {
				this.#ttft.observe(labels, request.ttftSeconds);
			}

			if (request.meanTpotSeconds !== undefined) {
				this.#tpot.observe(labels, request.meanTpotSeconds);
			}

			this.#e2e.observe(labels, request.e2eSeconds);
			this.#queue.observe(labels, request.queueSeconds);
			this.#inference.observe(labels, request.inferenceSeconds);
			this.#prefill.observe(labels, request.prefillSeconds);
			this.#decode.observe(labels, request.decodeSeconds);
			this.#prefillComputed.observe(labels, request.prefillComputedTokens);
		}
	}
}
