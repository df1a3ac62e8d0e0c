import type {Prng} from './prng.js';

/**
Token-length distribution of chat traffic. ShareGPT prompt and output lengths are roughly log-normal: most requests are
short and a long tail reaches thousands of tokens, which is what makes KV usage and TTFT jumpy on a real server.
*/
export type LengthDistribution = {
	/** Mean length in tokens. */
	readonly mean: number;
	/** Spread of the underlying normal; 1.0 gives a ShareGPT-like tail (p99 about 10x the median). */
	readonly sigma: number;
};

/** ShareGPT-like prompts: mean about 250 tokens. */
export const sharegptPrompt: LengthDistribution = {mean: 250, sigma: 1};

/** ShareGPT-like outputs: mean about 200 tokens. */
export const sharegptOutput: LengthDistribution = {mean: 200, sigma: 0.9};

/** Draws a length in [1, max]. The log-normal location is chosen so that the unclamped mean equals `mean`. */
export function drawLength(
	rng: Prng,
	distribution: LengthDistribution,
	max: number,
): number {
	const mu =
		Math.log(distribution.mean) - (distribution.sigma * distribution.sigma) / 2;
	const value = Math.round(Math.exp(mu + distribution.sigma * rng.normal()));
	return Math.max(1, Math.min(max, value));
}
