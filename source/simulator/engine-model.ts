import {finish} from './engine-finish.js';
import {
	abortImpatient,
	admitArrivals,
	queued,
	scheduleRunning,
	scheduleWaiting,
	stepShape,
} from './engine-schedule.js';
import {executeStep, retireFinished} from './engine-step.js';
import type {EngineWork, ScheduledSlot} from './engine-work.js';
import {Prng} from './prng.js';

/**
One vLLM engine's scheduler, as a pure function: state and arrivals in, new state and the observations a real server
would have recorded out. It follows the V1 scheduler closely enough that the metrics move the way real ones do: running
requests first (decode, or the next chunk of a chunked prefill), then waiting ones while max_num_seqs, the token budget
and the KV pool allow; preemption (recompute) of the newest running request when a block cannot be allocated.
*/

export type FinishReason = 'stop' | 'length' | 'abort' | 'error' | 'repetition';

export const finishReasons: readonly FinishReason[] = [
	'stop',
	'length',
	'abort',
	'error',
	'repetition',
];

export type EngineConfig = {
	readonly blockSize: number;
	readonly numGpuBlocks: number;
	readonly maxNumSeqs: number;
	readonly maxNumBatchedTokens: number;
	readonly specDecodeTokens: number;
	readonly enablePrefixCaching: boolean;
	readonly clientTimeoutSeconds: number;
	readonly errorProbability: number;
};

/** A request as it arrives: what the client asked for and how long the answer will naturally be. */
export type Arrival = {
	readonly id: number;
	readonly time: number;
	readonly promptTokens: number;
	/** Length of the answer before stop or the generation limit, whichever comes first. */
	readonly outputTokens: number;
	/** The `max_tokens` parameter, if the client set it. */
	readonly maxTokensParam: number | undefined;
	/** The effective generation limit (max_tokens, else what fits in max_model_len). */
	readonly generationLimit: number;
	/** Prompt tokens another request already computed (found in the prefix cache when still resident). */
	readonly sharedPrefixTokens: number;
	readonly lora: string | undefined;
	readonly willError: boolean;
	/** Sent by an HTTP client that waits for its tokens: the step that makes each one is reported in the events. */
	readonly tracked: boolean;
};

export type RequestState = {
	readonly arrival: Arrival;
	/** Tokens whose KV is computed (prompt, then generated ones). */
	readonly computedTokens: number;
	readonly generatedTokens: number;
	readonly blocks: number;
	/** Prompt tokens that were served from the prefix cache at the first scheduling. */
	readonly cachedTokens: number;
	readonly firstScheduledTime: number | undefined;
	readonly firstTokenTime: number | undefined;
	readonly preemptions: number;
};

export type EngineCounters = {
	readonly promptTokens: number;
	readonly promptTokensComputed: number;
	readonly promptTokensCached: number;
	readonly generationTokens: number;
	readonly preemptions: number;
	readonly prefixQueries: number;
	readonly prefixHits: number;
	readonly finished: Readonly<Record<FinishReason, number>>;
	readonly specDrafts: number;
	readonly specDraftTokens: number;
	readonly specAcceptedTokens: number;
	readonly specAcceptedPerPosition: readonly number[];
};

export type EngineState = {
	readonly time: number;
	readonly rng: number;
	readonly waiting: readonly RequestState[];
	readonly running: readonly RequestState[];
	readonly usedBlocks: number;
	readonly counters: EngineCounters;
};

export type FinishedRequest = {
	readonly requestId: number;
	readonly tracked: boolean;
	/** Sim time the request ended. */
	readonly endTime: number;
	readonly reason: FinishReason;
	readonly promptTokens: number;
	readonly generatedTokens: number;
	readonly maxTokensParam: number | undefined;
	readonly generationLimit: number;
	readonly prefillComputedTokens: number;
	readonly e2eSeconds: number;
	/** Undefined when the request never got a token (aborted in the queue). */
	readonly ttftSeconds: number | undefined;
	readonly queueSeconds: number;
	readonly prefillSeconds: number;
	readonly decodeSeconds: number;
	readonly inferenceSeconds: number;
	readonly meanTpotSeconds: number | undefined;
};

/** Observations for histograms, in the order a server would have made them. */
export type EngineEvents = {
	readonly iterationTokens: number[];
	/** Inter-token latencies: `count` requests each saw a gap of `seconds`. */
	readonly interTokenLatencies: Array<{
		readonly seconds: number;
		readonly count: number;
	}>;
	readonly finished: FinishedRequest[];
	/** Tokens that tracked requests got, at the end of the step that made them (several with spec decode). */
	readonly tokens: TokenEvent[];
};

export type TokenEvent = {
	readonly id: number;
	readonly time: number;
	readonly count: number;
};

export function emptyEvents(): EngineEvents {
	return {
		iterationTokens: [],
		interTokenLatencies: [],
		finished: [],
		tokens: [],
	};
}

function zeroCounters(specDecodeTokens: number): EngineCounters {
	return {
		promptTokens: 0,
		promptTokensComputed: 0,
		promptTokensCached: 0,
		generationTokens: 0,
		preemptions: 0,
		prefixQueries: 0,
		prefixHits: 0,
		finished: {stop: 0, length: 0, abort: 0, error: 0, repetition: 0},
		specDrafts: 0,
		specDraftTokens: 0,
		specAcceptedTokens: 0,
		specAcceptedPerPosition: Array.from({length: specDecodeTokens}, () => 0),
	};
}

export function initialEngineState(
	config: EngineConfig,
	seed: number,
	time: number,
): EngineState {
	return {
		time,
		rng: seed >>> 0,
		waiting: [],
		running: [],
		usedBlocks: 0,
		counters: zeroCounters(config.specDecodeTokens),
	};
}

/**
Step-time model of an 8B model on one H100: a fixed launch cost, prefill cost per computed token, decode cost per
sequence, and attention cost growing with the context held in the batch.
*/
export function stepSeconds(
	prefillTokens: number,
	decodeSequences: number,
	contextTokens: number,
	specDecodeTokens: number,
): number {
	const decodeCost = specDecodeTokens > 0 ? 0.000_09 : 0.000_07;
	return (
		0.005 +
		0.000_02 * prefillTokens +
		decodeCost * decodeSequences +
		0.000_000_05 * contextTokens
	);
}

/**
Runs the engine until its clock reaches `until`. `arrivals` must be sorted by time and not earlier than the engine
clock. The last step may end a little after `until`, as a real step would; the next call continues from there.
*/
export function advanceEngine(
	state: EngineState,
	config: EngineConfig,
	arrivals: readonly Arrival[],
	until: number,
	events: EngineEvents,
): EngineState {
	const work: EngineWork = {
		config,
		events,
		rng: new Prng(state.rng),
		counters: {...state.counters},
		finished: {...state.counters.finished},
		perPosition: [...state.counters.specAcceptedPerPosition],
		waiting: [...state.waiting],
		running: [...state.running],
		usedBlocks: state.usedBlocks,
		time: state.time,
	};
	let nextArrival = 0;
	const idleUntil = (minimumStep: number) => {
		const next = arrivals[nextArrival];
		work.time =
			next === undefined
				? until
				: Math.min(until, Math.max(work.time + minimumStep, next.time));
	};

	while (work.time < until) {
		nextArrival = admitArrivals(work, arrivals, nextArrival);
		abortImpatient(work);
		if (work.running.length === 0 && work.waiting.length === 0) {
			idleUntil(0);
			continue;
		}

		const scheduled: ScheduledSlot[] = [];
		const {budget, preempted} = scheduleRunning(work, scheduled);
		// A step that had to preempt admits nobody new, as the V1 scheduler does.
		if (!preempted) {
			scheduleWaiting(work, scheduled, budget);
		}

		if (scheduled.length === 0) {
			// Nothing fits and nothing runs: wait for the next arrival or the deadline.
			idleUntil(0.01);
			continue;
		}

		const shape = stepShape(work, scheduled);
		const duration = stepSeconds(
			shape.prefillTokens,
			shape.decodeSequences,
			shape.contextTokens,
			config.specDecodeTokens,
		);
		executeStep(work, scheduled, duration, shape.decodeSequences);
		retireFinished(work);
	}

	admitArrivals(work, arrivals, nextArrival);
	return {
		time: work.time,
		rng: work.rng.state,
		waiting: work.waiting,
		running: work.running,
		usedBlocks: work.usedBlocks,
		counters: {
			...work.counters,
			finished: work.finished,
			specAcceptedPerPosition: work.perPosition,
		},
	};
}

/** Puts a request straight into the waiting queue, as the API server hands one to the engine. */
export function enqueueRequest(
	state: EngineState,
	arrival: Arrival,
): EngineState {
	return {
		...state,
		waiting: [...state.waiting, queued(arrival)],
	};
}

/** Ends one request wherever it is (its client went away): its blocks are freed and it counts as aborted. */
export function cancelRequest(
	state: EngineState,
	id: number,
	events: EngineEvents,
): EngineState {
	const matches = (request: RequestState) => request.arrival.id === id;
	const request =
		state.running.find(r => matches(r)) ?? state.waiting.find(r => matches(r));
	if (request === undefined) {
		return state;
	}

	events.finished.push(finish(request, 'abort', state.time));
	return {
		...state,
		running: state.running.filter(r => !matches(r)),
		waiting: state.waiting.filter(r => !matches(r)),
		usedBlocks: state.usedBlocks - request.blocks,
		counters: {
			...state.counters,
			finished: {
				...state.counters.finished,
				abort: state.counters.finished.abort + 1,
			},
		},
	};
}

export function kvCacheUsage(state: EngineState, config: EngineConfig): number {
	return config.numGpuBlocks === 0 ? 0 : state.usedBlocks / config.numGpuBlocks;
}

/** Ends every request in flight, as `POST /sleep?mode=abort` does before the engine sleeps. */
export function abortAll(
	state: EngineState,
	events: EngineEvents,
): EngineState {
	const all = [...state.running, ...state.waiting];
	if (all.length === 0) {
		return state;
	}

	for (const request of all) {
		events.finished.push(finish(request, 'abort', state.time));
	}

	const finishedCounts = {
		...state.counters.finished,
		abort: state.counters.finished.abort + all.length,
	};
	return {
		...state,
		running: [],
		waiting: [],
		usedBlocks: 0,
		counters: {...state.counters, finished: finishedCounts},
	};
}
