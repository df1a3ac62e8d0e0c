import type {Arrival, RequestState} from './engine-model.js';
import {finish} from './engine-finish.js';
import {
	type EngineWork,
	type ScheduledSlot,
	blocksFor,
	isDecoding,
} from './engine-work.js';

/** Moves arrivals whose time has come into the waiting queue; returns the index of the next one. */
export function admitArrivals(
	work: EngineWork,
	arrivals: readonly Arrival[],
	next: number,
): number {
	let index = next;
	while (index < arrivals.length && arrivals[index]!.time <= work.time) {
		work.waiting.push(queued(arrivals[index]!));
		index++;
	}

	return index;
}

export function queued(arrival: Arrival): RequestState {
	return {
		arrival,
		computedTokens: 0,
		generatedTokens: 0,
		blocks: 0,
		cachedTokens: 0,
		firstScheduledTime: undefined,
		firstTokenTime: undefined,
		preemptions: 0,
	};
}

/** Clients whose patience ran out abort while still queued. */
export function abortImpatient(work: EngineWork): void {
	const patience = work.time - work.config.clientTimeoutSeconds;
	if (work.waiting.length === 0 || work.waiting[0]!.arrival.time >= patience) {
		return;
	}

	const stayed: RequestState[] = [];
	for (const request of work.waiting) {
		if (request.arrival.time < patience) {
			work.finished.abort++;
			work.events.finished.push(finish(request, 'abort', work.time));
		} else {
			stayed.push(request);
		}
	}

	work.waiting = stayed;
}

function preempt(work: EngineWork, request: RequestState): void {
	work.usedBlocks -= request.blocks;
	work.counters.preemptions++;
	work.waiting.unshift({
		...request,
		computedTokens: 0,
		blocks: 0,
		preemptions: request.preemptions + 1,
	});
}

/**
Schedules running requests first, in order (decode, or the next chunk of a chunked prefill), preempting from the tail
when the KV pool is full. Returns the token budget left and whether anything was preempted.
*/
export function scheduleRunning(
	work: EngineWork,
	scheduled: ScheduledSlot[],
): {budget: number; preempted: boolean} {
	const {config} = work;
	let budget = config.maxNumBatchedTokens;
	let preempted = false;
	const queue = work.running;
	let queueEnd = queue.length;
	work.running = [];
	for (let next = 0; next < queueEnd; next++) {
		const request = queue[next]!;
		const pending =
			request.arrival.promptTokens +
			request.generatedTokens -
			request.computedTokens;
		const tokens =
			request.generatedTokens > 0 && pending <= 1
				? 1 + config.specDecodeTokens
				: Math.min(pending, budget);
		if (tokens <= 0 || tokens > budget) {
			work.running.push(request);
			continue;
		}

		const need =
			blocksFor(request.computedTokens + tokens, config.blockSize) -
			request.blocks;
		while (
			need > config.numGpuBlocks - work.usedBlocks &&
			queueEnd > next + 1
		) {
			preempt(work, queue[--queueEnd]!);
			preempted = true;
		}

		if (need > config.numGpuBlocks - work.usedBlocks) {
			preempt(work, request);
			preempted = true;
			continue;
		}

		work.usedBlocks += Math.max(0, need);
		budget -= tokens;
		scheduled.push({index: work.running.length, tokens});
		work.running.push(
			need > 0 ? {...request, blocks: request.blocks + need} : request,
		);
	}

	return {budget, preempted};
}

/** Then waiting requests while max_num_seqs, the token budget and the KV pool allow, finding cached prefixes. */
export function scheduleWaiting(
	work: EngineWork,
	scheduled: ScheduledSlot[],
	startBudget: number,
): void {
	const {config} = work;
	let budget = startBudget;
	while (
		work.waiting.length > 0 &&
		work.running.length < config.maxNumSeqs &&
		budget > 0
	) {
		const request = work.waiting[0]!;
		const {arrival} = request;
		const context = arrival.promptTokens + request.generatedTokens;
		const hit = config.enablePrefixCaching
			? Math.floor(
					Math.min(arrival.sharedPrefixTokens, context - 1) / config.blockSize,
				) * config.blockSize
			: 0;
		const tokens = Math.min(context - hit, budget);
		const blocks = blocksFor(hit + tokens, config.blockSize);
		if (blocks > config.numGpuBlocks - work.usedBlocks) {
			break;
		}

		work.waiting.shift();
		work.usedBlocks += blocks;
		budget -= tokens;
		if (config.enablePrefixCaching) {
			work.counters.prefixQueries += context;
			work.counters.prefixHits += hit;
		}

		scheduled.push({index: work.running.length, tokens});
		work.running.push({
			...request,
			computedTokens: hit,
			blocks,
			cachedTokens:
				request.firstScheduledTime === undefined ? hit : request.cachedTokens,
			firstScheduledTime: request.firstScheduledTime ?? work.time,
		});
	}
}

/** What the step costs: prefill tokens, decoding sequences and the context they attend to. */
export function stepShape(
	work: EngineWork,
	scheduled: readonly ScheduledSlot[],
): {prefillTokens: number; decodeSequences: number; contextTokens: number} {
	let prefillTokens = 0;
	let decodeSequences = 0;
	let contextTokens = 0;
	for (const {index, tokens} of scheduled) {
		const request = work.running[index]!;
		contextTokens += request.computedTokens + tokens;
		if (isDecoding(request)) {
			decodeSequences++;
		} else {
			prefillTokens += tokens;
		}
	}

	return {prefillTokens, decodeSequences, contextTokens};
}
