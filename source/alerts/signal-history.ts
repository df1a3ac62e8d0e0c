/**
Trends over the recent scrapes: the part of the rules that needs more than the current value.
*/
import type {AlertInput, RecentSignals} from './alert-input.js';
import {trendSignals, type TrendSignals} from './trend-signals.js';

type Pick = (signals: TrendSignals) => number | null;

/** Recent history ending with this scrape, whether or not the caller already appended it. */
export function historyWithCurrent(input: AlertInput): RecentSignals {
	const last = input.recent.at(-1);
	if (input.signals === null || last?.at === input.at) {
		return input.recent;
	}

	return [
		...input.recent,
		{at: input.at, signals: trendSignals(input.signals)},
	];
}

function points(
	history: RecentSignals,
	pick: Pick,
	from: number,
	to: number,
): Array<{at: number; value: number}> {
	const result: Array<{at: number; value: number}> = [];
	for (const entry of history) {
		const value = pick(entry.signals);
		if (
			entry.at >= from &&
			entry.at <= to &&
			value !== null &&
			Number.isFinite(value)
		) {
			result.push({at: entry.at, value});
		}
	}

	return result;
}

/**
Rising over the last `seconds`: the newest value is above the oldest one in the window and the least-squares slope is
positive, so one noisy dip does not reset it. Outside instant mode the window must be (80 %) covered by history.
*/
export function isRising(
	history: RecentSignals,
	pick: Pick,
	at: number,
	seconds: number,
	instant: boolean,
): boolean {
	const windowStart = at - seconds * 1000;
	const series = points(history, pick, windowStart, at);
	const first = series[0];
	const last = series.at(-1);
	if (first === undefined || last === undefined || series.length < 2) {
		return false;
	}

	if (!instant && at - first.at < seconds * 1000 * 0.8) {
		return false;
	}

	if (last.value <= first.value) {
		return false;
	}

	const meanAt =
		series.reduce((sum, point) => sum + point.at, 0) / series.length;
	const meanValue =
		series.reduce((sum, point) => sum + point.value, 0) / series.length;
	let covariance = 0;
	for (const point of series) {
		covariance += (point.at - meanAt) * (point.value - meanValue);
	}

	return covariance > 0;
}

export function median(values: readonly number[]): number | null {
	if (values.length === 0) {
		return null;
	}

	const sorted = values.toSorted((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const high = sorted[middle] ?? 0;
	return sorted.length % 2 === 1
		? high
		: ((sorted[middle - 1] ?? high) + high) / 2;
}

/** Fewer points than this and a median says nothing about "usual". */
export const minimumBaselinePoints = 5;

/** Median of `pick` over the window before `at` (this scrape excluded), on scrapes where requests were running. */
export function baselineMedian(
	history: RecentSignals,
	pick: Pick,
	at: number,
	seconds: number,
): number | null {
	const values: number[] = [];
	for (const entry of history) {
		const value = pick(entry.signals);
		const running = entry.signals.requests_running;
		if (
			entry.at >= at - seconds * 1000 &&
			entry.at < at &&
			value !== null &&
			running !== null &&
			running > 0
		) {
			values.push(value);
		}
	}

	return values.length >= minimumBaselinePoints ? median(values) : null;
}

/** Scrapes at the same running count, with requests waiting, before it counts as a plateau. */
const plateauPoints = 3;

/**
The running count the scheduler cannot exceed, learned as the highest value of `requests_running` that held on several
scrapes while requests were waiting. Forgotten when running goes above it (the guess was too low).
*/
export function learnMaxRunning(
	history: RecentSignals,
	previous: number | null,
): number | null {
	let maxSeen = -1;
	for (const entry of history) {
		maxSeen = Math.max(maxSeen, entry.signals.requests_running ?? -1);
	}

	let atPlateau = 0;
	for (const entry of history) {
		const {requests_running: running, requests_waiting: waiting} =
			entry.signals;
		if (running === maxSeen && running > 0 && waiting !== null && waiting > 0) {
			atPlateau++;
		}
	}

	const candidate = atPlateau >= plateauPoints ? maxSeen : null;
	if (previous === null || maxSeen > previous) {
		return candidate;
	}

	return previous;
}

/** How much a counter grew, and over how many seconds of scrapes. */
export type Growth = {readonly total: number; readonly seconds: number};

/**
How much a counter grew over the last `seconds`, from the per-second rates of the scrapes in that window: each rate
is the growth since the scrape before it, so rate times the gap adds up to the counter's increase, as Prometheus'
`increase()`. Null when no scrape in the window has a rate (the first scrape, or a page without the counter).
*/
export function growthOver(
	history: RecentSignals,
	pick: Pick,
	at: number,
	seconds: number,
): Growth | null {
	const windowStart = at - seconds * 1000;
	let total = 0;
	let from: number | undefined;
	let previous: number | undefined;
	for (const entry of history) {
		const value = pick(entry.signals);
		if (
			previous !== undefined &&
			entry.at > windowStart &&
			entry.at <= at &&
			value !== null &&
			Number.isFinite(value)
		) {
			total += (value * (entry.at - previous)) / 1000;
			from = Math.min(from ?? previous, previous);
		}

		previous = entry.at;
	}

	return from === undefined ? null : {total, seconds: (at - from) / 1000};
}
