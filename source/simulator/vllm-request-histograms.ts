import type {EngineEvents} from './engine-model.js';
import type {Families} from './family-table.js';
import type {EngineLabel, v1Families} from './vllm-v1-families.js';

type V1Families = Families<typeof v1Families>;

/**
vLLM V1's per-step and per-request histograms: what the engine observes each step and as each request finishes
(vllm/v1/metrics/loggers.py). Apart from the gauges and counters, which follow the model state instead.
*/
export function recordRequestHistograms(
	families: V1Families,
	labels: Record<EngineLabel, string>,
	events: EngineEvents,
): void {
	for (const tokens of events.iterationTokens) {
		families.iterationTokens.observe(labels, tokens);
	}

	for (const {seconds, count} of events.interTokenLatencies) {
		for (let index = 0; index < count; index++) {
			families.itl.observe(labels, seconds);
		}
	}

	for (const request of events.finished) {
		if (request.reason === 'abort') {
			continue;
		}

		families.requestPrompt.observe(labels, request.promptTokens);
		families.requestGeneration.observe(labels, request.generatedTokens);
		families.maxGeneration.observe(labels, request.generationLimit);
		families.paramsN.observe(labels, 1);
		if (request.maxTokensParam !== undefined) {
			families.paramsMaxTokens.observe(labels, request.maxTokensParam);
		}

		if (request.ttftSeconds !== undefined) {
			families.ttft.observe(labels, request.ttftSeconds);
		}

		if (request.meanTpotSeconds !== undefined) {
			families.tpot.observe(labels, request.meanTpotSeconds);
		}

		families.e2e.observe(labels, request.e2eSeconds);
		families.queue.observe(labels, request.queueSeconds);
		families.inference.observe(labels, request.inferenceSeconds);
		families.prefill.observe(labels, request.prefillSeconds);
		families.decode.observe(labels, request.decodeSeconds);
		families.prefillComputed.observe(labels, request.prefillComputedTokens);
	}
}
