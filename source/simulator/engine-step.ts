import type {FinishReason, RequestState} from './engine-model.js';
import {finish} from './engine-finish.js';
import {
	type EngineWork,
	type ScheduledSlot,
	isDecoding,
} from './engine-work.js';

/** Acceptance probability of the draft token at `position`, given all earlier ones were accepted. */
const specAcceptance = [0.8, 0.7, 0.6, 0.5, 0.4];

/** Draft tokens accepted in one decode step: each position only counts when all earlier ones were accepted. */
function acceptDrafts(work: EngineWork): number {
	const {config, counters} = work;
	if (config.specDecodeTokens === 0) {
		return 0;
	}

	counters.specDrafts++;
	counters.specDraftTokens += config.specDecodeTokens;
	let accepted = 0;
	for (let position = 0; position < config.specDecodeTokens; position++) {
		if (!work.rng.chance(specAcceptance[position] ?? 0.3)) {
			break;
		}

		accepted++;
		work.perPosition[position]!++;
	}

	counters.specAcceptedTokens += accepted;
	return accepted;
}

/** Advances one scheduled request by the step that just ended; returns the tokens the step computed for it. */
function runSlot(work: EngineWork, {index, tokens}: ScheduledSlot): number {
	const request = work.running[index]!;
	const {arrival} = request;
	const context = arrival.promptTokens + request.generatedTokens;
	const decoding = isDecoding(request);
	let computed = request.computedTokens;
	let produced = 0;
	if (decoding) {
		produced = 1 + acceptDrafts(work);
		computed += produced;
	} else {
		computed += tokens;
		if (computed >= context) {
			produced = 1;
		}
	}

	produced = Math.min(produced, arrival.outputTokens - request.generatedTokens);
	let {firstTokenTime} = request;
	if (produced > 0 && firstTokenTime === undefined) {
		firstTokenTime = work.time;
		work.counters.promptTokens += arrival.promptTokens;
		work.counters.promptTokensCached += request.cachedTokens;
		work.counters.promptTokensComputed +=
			arrival.promptTokens - request.cachedTokens;
	}

	work.counters.generationTokens += produced;
	if (produced > 0 && arrival.tracked) {
		work.events.tokens.push({id: arrival.id, time: work.time, count: produced});
	}

	work.running[index] = {
		...request,
		computedTokens: Math.min(computed, context + produced - 1),
		generatedTokens: request.generatedTokens + produced,
		firstTokenTime,
	};
	return decoding ? 1 : tokens;
}

/** Applies a step of `duration` seconds to every scheduled request: tokens come out at its end. */
export function executeStep(
	work: EngineWork,
	scheduled: readonly ScheduledSlot[],
	duration: number,
	decodeSequences: number,
): void {
	work.time += duration;
	let stepTokens = 0;
	for (const slot of scheduled) {
		stepTokens += runSlot(work, slot);
	}

	if (decodeSequences > 0) {
		work.events.interTokenLatencies.push({
			seconds: duration,
			count: decodeSequences,
		});
	}

	work.events.iterationTokens.push(stepTokens);
}

/** Frees the blocks of requests that reached their length or hit an engine error. */
export function retireFinished(work: EngineWork): void {
	const stillRunning: RequestState[] = [];
	for (const request of work.running) {
		const {arrival} = request;
		let reason: FinishReason | undefined;
		if (request.generatedTokens > 0 && arrival.willError) {
			reason = 'error';
		} else if (request.generatedTokens >= arrival.outputTokens) {
			reason =
				arrival.outputTokens >= arrival.generationLimit ? 'length' : 'stop';
		}

		if (reason === undefined) {
			stillRunning.push(request);
			continue;
		}

		work.usedBlocks -= request.blocks;
		work.finished[reason]++;
		work.events.finished.push(finish(request, reason, work.time));
	}

	work.running = stillRunning;
}
