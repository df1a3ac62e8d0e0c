/**
Runs `run` again and again, one at a time, `intervalMs()` apart measured start to start.

A chain of single timeouts rather than `setInterval`, so a slow scrape delays the next one instead of piling up,
and the interval is read fresh each cycle. When `subscribe` reports a change, the pending wait is measured again from
the last start with the new interval, so going from 1 min to 500 ms scrapes at once instead of after the old minute.

Runs keep to a grid, `phase()` of an interval after the start of each round, rather than drifting later by each
timer's delay: the pollers of a fleet placed in different phases stay spread over the interval (see round-waves.ts).
The first run and a `now()` run at once; the grid then starts from there.
*/
export type Poller = {
	/** Stops for good: clears the pending wait and aborts the run in flight through its signal. */
	stop(): void;
	/** Cuts the current wait short and runs at once; does nothing while a run is in flight. */
	now(): void;
};

export type PollerOptions = {
	readonly intervalMs: () => number;
	/** Should settle on its own; a rejection is ignored so one bad cycle never ends the loop. */
	readonly run: (signal: AbortSignal) => Promise<void>;
	/** Tells the poller that `intervalMs()` may have changed (e.g. a store's `subscribe`); returns the unsubscribe. */
	readonly subscribe?: (listener: () => void) => () => void;
	/** Where in each interval the runs fall, as a fraction in [0, 1). @default () => 0 */
	readonly phase?: () => number;
	/** Monotonic milliseconds. @default performance.now */
	readonly clock?: () => number;
};

/**
The run after one in the round starting at `roundStart`: `phase` of an interval into the next round, or at once when
that time has passed (a run longer than the interval, or a shorter interval), the grid then starting again from now.
*/
function nextRun(
	roundStart: number,
	interval: number,
	phase: number,
	now: number,
): {readonly roundStart: number; readonly at: number} {
	const at = roundStart + interval * (1 + phase);
	return at > now
		? {roundStart: roundStart + interval, at}
		: {roundStart: now - interval * phase, at: now};
}

/** Floor on the wait between runs, so a zero or garbage interval cannot spin the CPU. */
const minimumIntervalMs = 10;

export function startPoller(options: PollerOptions): Poller {
	const controller = new AbortController();
	const clock = options.clock ?? (() => performance.now());
	let timer: NodeJS.Timeout | undefined;
	let inFlight = false;
	let stopped = false;
	/** Start of the round the last run belonged to: that run was planned `phase` of an interval after it. */
	let roundStart = clock();
	let scheduledInterval = Number.NaN;

	const currentInterval = () => {
		const wanted = Number(options.intervalMs());
		return Number.isFinite(wanted)
			? Math.max(minimumIntervalMs, wanted)
			: minimumIntervalMs;
	};

	const currentPhase = () => {
		const phase = Number(options.phase?.() ?? 0);
		return phase > 0 && phase < 1 ? phase : 0;
	};

	const schedule = () => {
		const interval = currentInterval();
		scheduledInterval = interval;
		const now = clock();
		const next = nextRun(roundStart, interval, currentPhase(), now);
		roundStart = next.roundStart;
		timer = setTimeout(() => {
			void cycle();
		}, next.at - now);
	};

	async function cycle(): Promise<void> {
		timer = undefined;
		inFlight = true;
		try {
			await options.run(controller.signal);
		} catch {
			// Failures are the run's to report (scrape results are values); the loop must go on.
		} finally {
			inFlight = false;
		}

		if (!stopped) {
			schedule();
		}
	}

	/** A run out of turn: the next comes at this poller's phase, at least half an interval later. */
	const runNow = () => {
		const interval = currentInterval();
		const phase = currentPhase();
		const now = clock();
		roundStart = phase >= 0.5 ? now - interval : now;
		void cycle();
	};

	const unsubscribe = options.subscribe?.(() => {
		if (
			stopped ||
			timer === undefined ||
			currentInterval() === scheduledInterval
		) {
			return;
		}

		clearTimeout(timer);
		// Back to the round of the last run, then the new interval from there.
		roundStart -= scheduledInterval;
		schedule();
	});

	runNow();

	return {
		stop() {
			unsubscribe?.();
			stopped = true;
			clearTimeout(timer);
			timer = undefined;
			controller.abort();
		},
		now() {
			if (stopped || inFlight) {
				return;
			}

			clearTimeout(timer);
			runNow();
		},
	};
}
