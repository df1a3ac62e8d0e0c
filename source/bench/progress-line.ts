import {tpotOf} from './bench-result.js';
import type {LoadProgress} from './load-runner.js';
import {percentileSorted, sortedCopy} from './stats.js';

/** What the live view shows of a run in progress; pure, from a progress snapshot and the time. */
export type LiveStats = {
	readonly done: number;
	readonly total: number | undefined;
	readonly failed: number;
	readonly inFlight: number;
	readonly elapsedS: number;
	/** Seconds left, from the count or the duration; undefined before any request finished. */
	readonly etaS: number | undefined;
	readonly offeredRate: number;
	readonly achievedRate: number;
	readonly ttftP50Ms: number | undefined;
	readonly ttftP99Ms: number | undefined;
	readonly tpotP50Ms: number | undefined;
	readonly tpotP99Ms: number | undefined;
	readonly lastError: string | undefined;
};

/** Live percentiles use the most recent requests only, so a long run stays cheap to summarise each second. */
const recentWindow = 2000;

export function liveStats(progress: LoadProgress, nowMs: number): LiveStats {
	const elapsedS = (nowMs - progress.startMs) / 1000;
	const done = progress.completed + progress.failed;
	const recent = progress.outcomes.slice(-recentWindow).filter(o => o.ok);
	const ttfts = sortedCopy(recent.map(o => o.ttft * 1000));
	const tpots = sortedCopy(
		recent.filter(o => o.outputTokens > 1).map(o => tpotOf(o) * 1000),
	);
	const pick = (sorted: number[], p: number) =>
		sorted.length > 0 ? percentileSorted(sorted, p) : undefined;
	const achievedRate = elapsedS > 0 ? progress.completed / elapsedS : 0;
	let etaS: number | undefined;
	if (progress.durationS !== undefined) {
		etaS = Math.max(0, progress.durationS - elapsedS);
	} else if (progress.total !== undefined && done > 0) {
		etaS = ((progress.total - done) * elapsedS) / done;
	}

	const lastFailure = progress.outcomes.findLast(o => !o.ok);
	return {
		done,
		total: progress.total,
		failed: progress.failed,
		inFlight: progress.inFlight,
		elapsedS,
		etaS,
		offeredRate: progress.offeredRate,
		achievedRate,
		ttftP50Ms: pick(ttfts, 50),
		ttftP99Ms: pick(ttfts, 99),
		tpotP50Ms: pick(tpots, 50),
		tpotP99Ms: pick(tpots, 99),
		lastError: lastFailure?.error,
	};
}

function ms(value: number | undefined): string {
	return value === undefined ? '-' : `${value.toFixed(0)}ms`;
}

function rate(value: number): string {
	return value === Number.POSITIVE_INFINITY ? 'inf' : value.toFixed(1);
}

/** One progress line for stderr when the output is not a terminal. */
export function progressLine(stats: LiveStats): string {
	const total = stats.total === undefined ? '' : `/${stats.total}`;
	const eta = stats.etaS === undefined ? '' : ` eta ${stats.etaS.toFixed(0)}s`;
	return (
		`bench: ${stats.done}${total} done, ${stats.failed} failed, ${stats.inFlight} in flight, ` +
		`${rate(stats.offeredRate)} req/s offered, ${rate(stats.achievedRate)} achieved, ` +
		`TTFT p50 ${ms(stats.ttftP50Ms)} p99 ${ms(stats.ttftP99Ms)}, TPOT p50 ${ms(stats.tpotP50Ms)} p99 ${ms(stats.tpotP99Ms)}, ` +
		`${stats.elapsedS.toFixed(0)}s${eta}`
	);
}
