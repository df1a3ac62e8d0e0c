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
};

export function emptyEvents(): EngineEvents {
	return {iterationTokens: [], interTokenLatencies: [], finished: []};
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

/** Acceptance probability of the draft token at `position`, given all earlier ones were accepted. */
const specAcceptance = [0.8, 0.7, 0.6, 0.5, 0.4];

function blocksFor(tokens: number, blockSize: number): number {
	return Math.ceil(tokens / blockSize);
}

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

function finish(
	request: RequestState,
	reason: FinishReason,
	now: number,
): FinishedRequest {
	const {arrival} = request;
	const scheduled = request.firstScheduledTime ?? now;
	const firstToken = request.firstTokenTime;
	const decodeSeconds = firstToken === undefined ? 0 : now - firstToken;
	return {
		reason,
		promptTokens: arrival.promptTokens,
		generatedTokens: request.generatedTokens,
		maxTokensParam: arrival.maxTokensParam,
		generationLimit: arrival.generationLimit,
		prefillComputedTokens: Math.max(
			0,
			arrival.promptTokens - request.cachedTokens,
		),
		e2eSeconds: now - arrival.time,
		ttftSeconds:
			firstToken === undefined ? undefined : firstToken - arrival.time,
		queueSeconds: scheduled - arrival.time,
		prefillSeconds:
			firstToken === undefined ? now - scheduled : firstToken - scheduled,
		decodeSeconds,
		inferenceSeconds: now - scheduled,
		meanTpotSeconds:
			request.generatedTokens > 1
				? decodeSeconds / (request.generatedTokens - 1)
				: undefined,
	};
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
	const rng = new Prng(state.rng);
	const counters: Mutable<EngineCounters> = {...state.counters};
	const finished: Record<FinishReason, number> = {...state.counters.finished};
	const perPosition = [...state.counters.specAcceptedPerPosition];
	let waiting: RequestState[] = [...state.waiting];
	let running: RequestState[] = [...state.running];
	let {usedBlocks, time} = state;
	let nextArrival = 0;

	const admit = () => {
		while (
			nextArrival < arrivals.length &&
			arrivals[nextArrival]!.time <= time
		) {
			const arrival = arrivals[nextArrival]!;
			waiting.push({
				arrival,
				computedTokens: 0,
				generatedTokens: 0,
				blocks: 0,
				cachedTokens: 0,
				firstScheduledTime: undefined,
				firstTokenTime: undefined,
				preemptions: 0,
			});
			nextArrival++;
		}
	};

	while (time < until) {
		admit();
		// Clients whose patience ran out abort while still queued.
		const patience = time - config.clientTimeoutSeconds;
		if (waiting.length > 0 && waiting[0]!.arrival.time < patience) {
			const stayed: RequestState[] = [];
			for (const request of waiting) {
				if (request.arrival.time < patience) {
					finished.abort++;
					events.finished.push(finish(request, 'abort', time));
				} else {
					stayed.push(request);
				}
			}

			waiting = stayed;
		}

		if (running.length === 0 && waiting.length === 0) {
			const next = arrivals[nextArrival];
			time =
				next === undefined ? until : Math.min(until, Math.max(time, next.time));
			continue;
		}

		// Schedule running requests first, in order; preempt from the tail when the pool is full.
		let budget = config.maxNumBatchedTokens;
		const scheduled: Array<{index: number; tokens: number}> = [];
		let preemptedThisStep = false;
		const queue = running;
		let queueEnd = queue.length;
		running = [];
		for (let next = 0; next < queueEnd; next++) {
			const request = queue[next]!;
			const pending =
				request.arrival.promptTokens +
				request.generatedTokens -
				request.computedTokens;
			const decoding = request.generatedTokens > 0 && pending <= 1;
			const tokens = decoding
				? 1 + config.specDecodeTokens
				: Math.min(pending, budget);
			if (tokens <= 0 || tokens > budget) {
				running.push(request);
				continue;
			}

			const need =
				blocksFor(request.computedTokens + tokens, config.blockSize) -
				request.blocks;
			let fits = need <= config.numGpuBlocks - usedBlocks;
			while (!fits && queueEnd > next + 1) {
				const victim = queue[--queueEnd]!;
				usedBlocks -= victim.blocks;
				counters.preemptions++;
				preemptedThisStep = true;
				waiting.unshift({
					...victim,
					computedTokens: 0,
					blocks: 0,
					preemptions: victim.preemptions + 1,
				});
				fits = need <= config.numGpuBlocks - usedBlocks;
			}

			if (!fits) {
				usedBlocks -= request.blocks;
				counters.preemptions++;
				preemptedThisStep = true;
				waiting.unshift({
					...request,
					computedTokens: 0,
					blocks: 0,
					preemptions: request.preemptions + 1,
				});
				continue;
			}

			usedBlocks += Math.max(0, need);
			budget -= tokens;
			scheduled.push({index: running.length, tokens});
			running.push(
				need > 0 ? {...request, blocks: request.blocks + need} : request,
			);
		}

		// Then waiting requests, unless this step had to preempt (as the V1 scheduler does).
		while (
			waiting.length > 0 &&
			running.length < config.maxNumSeqs &&
			budget > 0
		) {
			if (preemptedThisStep) {
				break;
			}

			const request = waiting[0]!;
			const {arrival} = request;
			const context = arrival.promptTokens + request.generatedTokens;
			const hit = config.enablePrefixCaching
				? Math.floor(
						Math.min(arrival.sharedPrefixTokens, context - 1) /
							config.blockSize,
					) * config.blockSize
				: 0;
			const tokens = Math.min(context - hit, budget);
			const blocks = blocksFor(hit + tokens, config.blockSize);
			if (blocks > config.numGpuBlocks - usedBlocks) {
				break;
			}

			waiting.shift();
			usedBlocks += blocks;
			budget -= tokens;
			if (config.enablePrefixCaching) {
				counters.prefixQueries += context;
				counters.prefixHits += hit;
			}

			const admitted: RequestState = {
				...request,
				computedTokens: hit,
				blocks,
				cachedTokens:
					request.firstScheduledTime === undefined ? hit : request.cachedTokens,
				firstScheduledTime: request.firstScheduledTime ?? time,
			};
			scheduled.push({index: running.length, tokens});
			running.push(admitted);
		}

		if (scheduled.length === 0) {
			// Nothing fits and nothing runs: wait for the next arrival or the deadline.
			const next = arrivals[nextArrival];
			time =
				next === undefined
					? until
					: Math.min(until, Math.max(time + 0.01, next.time));
			continue;
		}

		let prefillTokens = 0;
		let decodeSequences = 0;
		let contextTokens = 0;
		for (const {index, tokens} of scheduled) {
			const request = running[index]!;
			contextTokens += request.computedTokens + tokens;
			if (
				request.generatedTokens > 0 &&
				request.arrival.promptTokens +
					request.generatedTokens -
					request.computedTokens <=
					1
			) {
				decodeSequences++;
			} else {
				prefillTokens += tokens;
			}
		}

		const duration = stepSeconds(
			prefillTokens,
			decodeSequences,
			contextTokens,
			config.specDecodeTokens,
		);
		time += duration;
		let stepTokens = 0;
		for (const {index, tokens} of scheduled) {
			const request = running[index]!;
			const {arrival} = request;
			const context = arrival.promptTokens + request.generatedTokens;
			const decoding =
				request.generatedTokens > 0 && context - request.computedTokens <= 1;
			let computed = request.computedTokens;
			let produced = 0;
			if (decoding) {
				let accepted = 0;
				if (config.specDecodeTokens > 0) {
					counters.specDrafts++;
					counters.specDraftTokens += config.specDecodeTokens;
					for (
						let position = 0;
						position < config.specDecodeTokens;
						position++
					) {
						if (!rng.chance(specAcceptance[position] ?? 0.3)) {
							break;
						}

						accepted++;
						perPosition[position]!++;
					}

					counters.specAcceptedTokens += accepted;
				}

				produced = 1 + accepted;
				computed += produced;
				stepTokens += 1;
			} else {
				computed += tokens;
				stepTokens += tokens;
				if (computed >= context) {
					produced = 1;
				}
			}

			produced = Math.min(
				produced,
				arrival.outputTokens - request.generatedTokens,
			);
			const generated = request.generatedTokens + produced;
			let {firstTokenTime} = request;
			if (produced > 0 && firstTokenTime === undefined) {
				firstTokenTime = time;
				counters.promptTokens += arrival.promptTokens;
				counters.promptTokensCached += request.cachedTokens;
				counters.promptTokensComputed +=
					arrival.promptTokens - request.cachedTokens;
			}

			counters.generationTokens += produced;
			running[index] = {
				...request,
				computedTokens: Math.min(computed, context + produced - 1),
				generatedTokens: generated,
				firstTokenTime,
			};
		}

		if (decodeSequences > 0) {
			events.interTokenLatencies.push({
				seconds: duration,
				count: decodeSequences,
			});
		}

		events.iterationTokens.push(stepTokens);
		const stillRunning: RequestState[] = [];
		for (const request of running) {
			const {arrival} = request;
			if (request.generatedTokens > 0 && arrival.willError) {
				usedBlocks -= request.blocks;
				finished.error++;
				events.finished.push(finish(request, 'error', time));
			} else if (request.generatedTokens >= arrival.outputTokens) {
				const reason: FinishReason =
					arrival.outputTokens >= arrival.generationLimit ? 'length' : 'stop';
				usedBlocks -= request.blocks;
				finished[reason]++;
				events.finished.push(finish(request, reason, time));
			} else {
				stillRunning.push(request);
			}
		}

		running = stillRunning;
	}

	admit();
	return {
		time,
		rng: rng.state,
		waiting,
		running,
		usedBlocks,
		counters: {...counters, finished, specAcceptedPerPosition: perPosition},
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
