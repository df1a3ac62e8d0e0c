/**
Runs `run` again and again, one at a time, `intervalMs()` apart measured start to start.

A chain of single timeouts rather than `setInterval`, so a slow scrape delays the next one instead of piling up,
and the interval is read fresh each cycle. When `subscribe` reports a change, the pending wait is measured again from
the last start with the new interval, so going from 1 min to 500 ms scrapes at once instead of after the old minute.
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
};

/** Floor on the wait between runs, so a zero or garbage interval cannot spin the CPU. */
const minimumIntervalMs = 10;

export function startPoller(options: PollerOptions): Poller {
	const controller = new AbortController();
	let timer: NodeJS.Timeout | undefined;
	let inFlight = false;
	let stopped = false;
	let lastStart = performance.now();
	let scheduledInterval = Number.NaN;

	const currentInterval = () => {
		const wanted = Number(options.intervalMs());
		return Number.isFinite(wanted)
			? Math.max(minimumIntervalMs, wanted)
			: minimumIntervalMs;
	};

	const schedule = (startedAt: number) => {
		const interval = currentInterval();
		scheduledInterval = interval;
		timer = setTimeout(
			() => {
				void cycle();
			},
			Math.max(0, interval - (performance.now() - startedAt)),
		);
	};

	async function cycle(): Promise<void> {
		timer = undefined;
		inFlight = true;
		const startedAt = performance.now();
		lastStart = startedAt;
		try {
			await options.run(controller.signal);
		} catch {
			// Failures are the run's to report (scrape results are values); the loop must go on.
		} finally {
			inFlight = false;
		}

		if (!stopped) {
			schedule(startedAt);
		}
	}

	const unsubscribe = options.subscribe?.(() => {
		if (
			stopped ||
			timer === undefined ||
			currentInterval() === scheduledInterval
		) {
			return;
		}

		clearTimeout(timer);
		schedule(lastStart);
	});

	void cycle();

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
			void cycle();
		},
	};
}
