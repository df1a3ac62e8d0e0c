import type {
	EngineConfig,
	EngineCounters,
	EngineEvents,
	FinishReason,
	RequestState,
} from './engine-model.js';
import type {Prng} from './prng.js';

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

/**
The scratch state of one `advanceEngine` call. Each scheduler phase reads and updates it; it never escapes the call,
so the engine model stays a pure function of its inputs.
*/
export type EngineWork = {
	readonly config: EngineConfig;
	readonly events: EngineEvents;
	readonly rng: Prng;
	readonly counters: Mutable<EngineCounters>;
	readonly finished: Record<FinishReason, number>;
	readonly perPosition: number[];
	waiting: RequestState[];
	running: RequestState[];
	usedBlocks: number;
	time: number;
};

/** One request picked for the next step, with how many tokens it computes there. */
export type ScheduledSlot = {readonly index: number; readonly tokens: number};

export function blocksFor(tokens: number, blockSize: number): number {
	return Math.ceil(tokens / blockSize);
}

/** A request with its whole context computed but one token: the next step decodes it. */
export function isDecoding(request: RequestState): boolean {
	return (
		request.generatedTokens > 0 &&
		request.arrival.promptTokens +
			request.generatedTokens -
			request.computedTokens <=
			1
	);
}
