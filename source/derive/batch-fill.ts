/**
How full the engine steps run against the server's `--max-num-batched-tokens`, the tokens one step may schedule, which
vLLM does not put on `/metrics`: tokens per step (`vllm:iteration_tokens_total`) over that budget, given by the user.
Steps far under it mean the server is not compute bound; steps pinned at it mean it is.
*/
import type {Quantiles} from '../catalog/signal-values.js';

export type BatchFill = {
	/** The budget as given (`--max-num-batched-tokens`, or the config file's `max_num_batched_tokens`). */
	readonly max_num_batched_tokens: number;
	/** Tokens per step over the budget, 0..1 (above 1 only if the budget given is not the server's). */
	readonly p50: number | null;
	readonly p90: number | null;
	readonly mean: number | null;
};

/** Null when the budget is unknown: no share is made up from a guessed budget. */
export function batchFill(
	tokensPerStep: Quantiles | null,
	budget: number | null | undefined,
): BatchFill | null {
	if (budget === null || budget === undefined || budget <= 0) {
		return null;
	}

	const share = (tokens: number | null | undefined) =>
		tokens === null || tokens === undefined ? null : tokens / budget;
	return {
		max_num_batched_tokens: budget,
		p50: share(tokensPerStep?.p50),
		p90: share(tokensPerStep?.p90),
		mean: share(tokensPerStep?.mean),
	};
}
