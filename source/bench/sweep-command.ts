import type {Dispatcher} from 'undici';
import {type BenchIo, makeRun} from './bench-command.js';
import type {BenchOptions} from './bench-options.js';
import {latencySamples} from './bench-result.js';
import type {Workload} from './prepare-workload.js';
import {percentileSorted, sortedCopy} from './stats.js';
import {
	type Knee,
	type SweepStep,
	findKnee,
	measureStep,
	sweepRates,
} from './sweep.js';
import {sweepText} from './sweep-text.js';

/** Each step runs this long unless --duration says otherwise. */
const defaultStepSeconds = 10;

/** Requests in flight in the throughput run when --max-concurrency does not say. */
const defaultThroughputConcurrency = 64;

export type SweepOutcome = {
	readonly steps: readonly SweepStep[];
	readonly knee: Knee | undefined;
	readonly partial: boolean;
};

/** Runs the sweep's steps one after the other; Ctrl-C ends it after the step in progress drains. */
export async function runSweep(
	options: BenchOptions,
	io: BenchIo,
	model: string,
	workload: Workload,
	dispatcher: Dispatcher,
): Promise<SweepOutcome> {
	const durationS = options.durationS ?? defaultStepSeconds;
	const steps: SweepStep[] = [];
	let warmS = 0;
	const step = async (
		label: string,
		rate: number | undefined,
		maxConcurrency: number | undefined,
	) => {
		const run = makeRun(options, model, workload, dispatcher, {
			rate: rate ?? Number.POSITIVE_INFINITY,
			maxConcurrency,
			total: undefined,
			durationS,
			stop: io.signal,
		});
		const load = await run.run();
		const measured = measureStep(
			label,
			rate,
			load.outcomes,
			{
				fromS: Math.min(warmS, durationS / 2),
				toS: durationS,
				durationS: load.durationS,
			},
			options.goodput,
		);
		steps.push(measured);
		io.stderr.write(
			`bench sweep: ${label} ${rate === undefined ? '' : `${rate.toFixed(1)} req/s `}-> ${measured.achieved.toFixed(1)} req/s, TTFT p99 ${measured.ttftP99Ms.toFixed(0)} ms, ${measured.failed} failed\n`,
		);
		return load;
	};

	const sync = await step('synchronous', undefined, 1);
	const latencies = sortedCopy(
		latencySamples(sync.outcomes.filter(o => o.ok)).e2el,
	);
	warmS = percentileSorted(latencies, 50);
	const syncRate =
		sync.outcomes.filter(o => o.ok).length / Math.max(durationS, 1e-9);
	if (!io.signal.aborted) {
		await step(
			'throughput',
			undefined,
			options.maxConcurrency ?? defaultThroughputConcurrency,
		);
	}

	const maxRate = steps.at(-1)?.achieved ?? 0;
	for (const rate of sweepRates(syncRate, maxRate, options.sweepSteps - 2)) {
		if (io.signal.aborted || rate <= 0) {
			break;
		}

		await step('constant', rate, options.maxConcurrency);
	}

	const minShare =
		options.minGoodput.kind === 'share' ? options.minGoodput.value : 0;
	return {steps, knee: findKnee(steps, minShare), partial: io.signal.aborted};
}

export function reportSweep(
	options: BenchOptions,
	io: BenchIo,
	sweep: SweepOutcome,
): number {
	if (options.output === 'json') {
		io.stdout.write(
			`${JSON.stringify({
				sweep: sweep.steps,
				knee: sweep.knee?.rate ?? null,
				knee_step: sweep.knee?.step ?? null,
				partial: sweep.partial,
			})}\n`,
		);
	} else {
		io.stdout.write(sweepText(sweep.steps, sweep.knee, options.ascii));
	}

	if (sweep.partial) {
		return 130;
	}

	return options.goodput && sweep.knee === undefined ? 1 : 0;
}
