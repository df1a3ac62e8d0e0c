import {Prng} from '../simulator/prng.js';
import type {BenchPrompt, Endpoint} from './bench-request.js';

export type RandomWorkload = {
	readonly count: number;
	readonly inputLen: number;
	readonly outputLen: number;
	/** Lengths are uniform in [len × (1 − r), len × (1 + r)], as in `vllm bench serve`. */
	readonly rangeRatio: number;
	/** Tokens every prompt starts with, to exercise prefix caching. */
	readonly prefixLen: number;
	readonly seed: number;
	readonly endpoint: Endpoint;
};

/** Token ids away from the special tokens at both ends of common vocabularies. */
const lowestId = 1000;
const idSpan = 20_000;

const words = ['alpha', 'beta', 'gamma', 'delta', 'kappa', 'omega', 'sigma'];

function uniformLength(rng: Prng, length: number, ratio: number): number {
	const low = Math.max(1, Math.floor(length * (1 - ratio)));
	const high = Math.max(low, Math.ceil(length * (1 + ratio)));
	return low + Math.floor(rng.next() * (high - low + 1));
}

/**
Random prompts as token-id arrays, which vLLM's completions endpoint accepts, so input lengths are exact without a
tokenizer. The chat endpoint takes text only: there each token is one short word, and the length comes from usage.
*/
export function randomPrompts(workload: RandomWorkload): BenchPrompt[] {
	const rng = new Prng(workload.seed);
	const token = () => lowestId + Math.floor(rng.next() * idSpan);
	const prefix = Array.from({length: workload.prefixLen}, token);
	return Array.from({length: workload.count}, () => {
		const inputLength = uniformLength(
			rng,
			workload.inputLen,
			workload.rangeRatio,
		);
		const ids = [...prefix, ...Array.from({length: inputLength}, token)];
		const outputTokens = uniformLength(
			rng,
			workload.outputLen,
			workload.rangeRatio,
		);
		return workload.endpoint === 'chat'
			? {
					prompt: ids.map(id => words[id % words.length]!).join(' '),
					promptTokens: undefined,
					outputTokens,
				}
			: {prompt: ids, promptTokens: ids.length, outputTokens};
	});
}
