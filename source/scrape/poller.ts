/**
Runs `run` again and again, one at a time, `intervalMs()` apart measured start to start.

A chain of single timeouts rather than `setInterval`, so a slow scrape delays the next one instead of piling up,
and the interval is read fresh each cycle so a key press that changes it applies from the next wait.
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
};

/** Floor on the wait between runs, so a zero or garbage interval cannot spin the CPU. */
const minimumIntervalMs = 10;

export function startPoller(options: PollerOptions): Poller {
	const controller = new AbortController();
	let timer: NodeJS.Timeout | undefined;
	let inFlight = false;
	let stopped = false;

	const schedule = (startedAt: number) => {
		const wanted = Number(options.intervalMs());
		const interval = Number.isFinite(wanted)
			? Math.max(minimumIntervalMs, wanted)
			: minimumIntervalMs;
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

	void cycle();

	return {
		stop() {
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
