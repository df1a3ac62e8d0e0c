import {type Goodput, benchResult} from './bench-result.js';
import type {RequestOutcome} from './request-outcome.js';

/**
A sweep, as GuideLLM runs one: a synchronous run (one request at a time), a throughput run (the server kept full),
then constant rates spaced evenly between the two. Pure: rates planned, steps measured and the knee picked here.
*/

export type SweepStep = {
	readonly label: string;
	/** Offered rate in req/s; undefined for the synchronous and throughput runs. */
	readonly rate: number | undefined;
	/** Completions per second while the step was sending, after the first answers came back. */
	readonly achieved: number;
	readonly ttftP99Ms: number;
	readonly tpotP99Ms: number;
	readonly completed: number;
	readonly failed: number;
	/** Share of requests meeting the SLOs; undefined without --goodput. */
	readonly goodShare: number | undefined;
};

/** Constant rates between the synchronous and the throughput run's rates, the last one at the limit. */
export function sweepRates(
	syncRate: number,
	maxRate: number,
	count: number,
): number[] {
	const low = Math.min(syncRate, maxRate);
	return Array.from(
		{length: count},
		(_, index) => low + ((maxRate - low) * (index + 1)) / count,
	);
}

/**
Completions per second in [fromS, toS] of the run: the steady rate, without the ramp at the start (the first answers
take a request's latency to come back) and the tail after sending stopped.
*/
export function steadyThroughput(
	outcomes: readonly RequestOutcome[],
	fromS: number,
	toS: number,
): number {
	if (toS <= fromS) {
		return 0;
	}

	const done = outcomes.filter(outcome => {
		const end = outcome.startTime + outcome.latency;
		return outcome.ok && end >= fromS && end <= toS;
	});
	return done.length / (toS - fromS);
}

export function measureStep(
	label: string,
	rate: number | undefined,
	outcomes: readonly RequestOutcome[],
	window: {
		readonly fromS: number;
		readonly toS: number;
		readonly durationS: number;
	},
	goodput: Goodput | undefined,
): SweepStep {
	const result = benchResult({
		outcomes,
		durationS: window.durationS,
		percentiles: [99],
		goodput,
		partial: false,
		peakInFlight: 0,
	});
	const good = result['good_requests'];
	return {
		label,
		rate,
		achieved: steadyThroughput(outcomes, window.fromS, window.toS),
		ttftP99Ms: Number(result['p99_ttft_ms']),
		tpotP99Ms: Number(result['p99_tpot_ms']),
		completed: result.completed,
		failed: result.failed,
		goodShare:
			typeof good === 'number' && outcomes.length > 0
				? good / outcomes.length
				: undefined,
	};
}

export type Knee = {
	/** Index of the step in the sweep. */
	readonly step: number;
	/** Requests per second the server sustained there. */
	readonly rate: number;
};

/**
The knee: the constant-rate step with the highest offered rate whose requests still met the SLOs (every step, without
--goodput), and the throughput it sustained there. Below saturation that equals the offered rate; past it the achieved
rate flattens at what the server can do, so the knee never exceeds what was measured.
*/
export function findKnee(
	steps: readonly SweepStep[],
	minShare: number,
): Knee | undefined {
	let knee: Knee | undefined;
	let kneeOffered = 0;
	for (const [index, step] of steps.entries()) {
		const meetsSlo = step.goodShare === undefined || step.goodShare >= minShare;
		if (step.rate !== undefined && meetsSlo && step.rate > kneeOffered) {
			kneeOffered = step.rate;
			knee = {step: index, rate: Math.min(step.rate, step.achieved)};
		}
	}

	return knee;
}
