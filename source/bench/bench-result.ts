import type {RequestOutcome} from './request-outcome.js';
import {mean, percentileSorted, sortedCopy, std} from './stats.js';

/**
The result of a run, with the key names of `vllm bench serve`'s JSON, so scripts written for one read the other.
Pure: outcomes and the run's facts in, one document out.
*/

export type Goodput = Readonly<
	Partial<Record<'ttft' | 'tpot' | 'e2el', number>>
>;

export type ResultInput = {
	readonly outcomes: readonly RequestOutcome[];
	readonly durationS: number;
	readonly percentiles: readonly number[];
	/** SLOs in ms; a request is good when it meets every one given. */
	readonly goodput: Goodput | undefined;
	readonly partial: boolean;
	readonly peakInFlight: number;
};

export type BenchResult = Record<string, unknown> & {
	readonly duration: number;
	readonly completed: number;
	readonly failed: number;
	readonly total_input_tokens: number;
	readonly total_output_tokens: number;
	readonly request_throughput: number;
	readonly request_goodput: number | null;
	readonly output_throughput: number;
	readonly total_token_throughput: number;
	readonly partial: boolean;
};

export const latencyMetrics = ['ttft', 'tpot', 'itl', 'e2el'] as const;
export type LatencyMetric = (typeof latencyMetrics)[number];

/** TPOT as vLLM defines it: (E2E − TTFT) / (output tokens − 1); 0 for one-token answers (good for goodput). */
export function tpotOf(outcome: RequestOutcome): number {
	return outcome.outputTokens > 1
		? (outcome.latency - outcome.ttft) / (outcome.outputTokens - 1)
		: 0;
}

function isGood(outcome: RequestOutcome, goodput: Goodput): boolean {
	const checks: Array<[number | undefined, number]> = [
		[goodput.ttft, outcome.ttft],
		[goodput.tpot, tpotOf(outcome)],
		[goodput.e2el, outcome.latency],
	];
	return checks.every(
		([slo, value]) => slo === undefined || value * 1000 <= slo,
	);
}

/** Per-metric samples in seconds, as vLLM collects them (ITL: every gap of every request). */
export function latencySamples(
	done: readonly RequestOutcome[],
): Record<LatencyMetric, number[]> {
	return {
		ttft: done.map(outcome => outcome.ttft),
		tpot: done.filter(outcome => outcome.outputTokens > 1).map(o => tpotOf(o)),
		itl: done.flatMap(outcome => outcome.itl),
		e2el: done.map(outcome => outcome.latency),
	};
}

/** `p99` for 99, `p99.9` for 99.9, as vLLM names percentile keys. */
export function percentileWord(p: number): string {
	return `p${String(p)}`;
}

export function benchResult(input: ResultInput): BenchResult {
	const done = input.outcomes.filter(outcome => outcome.ok);
	const totalInput = done.reduce((sum, o) => sum + o.promptTokens, 0);
	const totalOutput = done.reduce((sum, o) => sum + o.outputTokens, 0);
	const duration = Math.max(input.durationS, 1e-9);
	const good = input.goodput
		? done.filter(outcome => isGood(outcome, input.goodput!)).length
		: undefined;
	const latency: Record<string, number> = {};
	const samples = latencySamples(done);
	for (const metric of latencyMetrics) {
		const values = samples[metric];
		const sorted = sortedCopy(values);
		latency[`mean_${metric}_ms`] = mean(values) * 1000;
		latency[`median_${metric}_ms`] = percentileSorted(sorted, 50) * 1000;
		latency[`std_${metric}_ms`] = std(values) * 1000;
		for (const p of input.percentiles) {
			latency[`${percentileWord(p)}_${metric}_ms`] =
				percentileSorted(sorted, p) * 1000;
		}
	}

	return {
		duration: input.durationS,
		completed: done.length,
		failed: input.outcomes.length - done.length,
		total_input_tokens: totalInput,
		total_output_tokens: totalOutput,
		request_throughput: done.length / duration,
		request_goodput: good === undefined ? null : good / duration,
		output_throughput: totalOutput / duration,
		total_token_throughput: (totalInput + totalOutput) / duration,
		max_concurrent_requests: input.peakInFlight,
		partial: input.partial,
		good_requests: good ?? null,
		...latency,
	};
}

/** The per-request arrays of `--save-detailed`, named as in vLLM's JSON (one entry per request, failed ones too). */
export function detailedArrays(outcomes: readonly RequestOutcome[]) {
	return {
		input_lens: outcomes.map(o => o.promptTokens),
		output_lens: outcomes.map(o => (o.ok ? o.outputTokens : 0)),
		ttfts: outcomes.map(o => o.ttft),
		itls: outcomes.map(o => o.itl),
		latencies: outcomes.map(o => o.latency),
		start_times: outcomes.map(o => o.startTime),
		errors: outcomes.map(o => o.error),
	};
}
