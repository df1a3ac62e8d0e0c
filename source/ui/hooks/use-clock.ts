/**
A clock for the parts of the screen that show time (ages, the profiler's mm:ss), so they move each second between
scrapes while the rest of the frame stays as it was. One timer for the whole view, on the second boundary.
*/
import {createContext, useContext, useSyncExternalStore} from 'react';

export type Ticker = {
	readonly now: () => number;
	/** Called once a second while anyone listens; the timer runs only then. */
	readonly subscribe: (listener: () => void) => () => void;
};

const tickMs = 1000;

export function createTicker(now: () => number = Date.now): Ticker {
	const listeners = new Set<() => void>();
	let timer: NodeJS.Timeout | undefined;
	const arm = () => {
		// Just past the next whole second, so a displayed age changes right when the second turns.
		timer = setTimeout(
			() => {
				arm();
				for (const listener of listeners) {
					listener();
				}
			},
			tickMs - (Date.now() % tickMs) + 5,
		);
		// A clock alone must not keep the process alive.
		timer.unref();
	};

	return {
		now,
		subscribe(listener) {
			listeners.add(listener);
			if (timer === undefined) {
				arm();
			}

			return () => {
				listeners.delete(listener);
				if (listeners.size === 0) {
					clearTimeout(timer);
					timer = undefined;
				}
			};
		},
	};
}

/** Null where time does not move by itself: tests with a fixed time, and replay (recorded time drives the view). */
export const ClockContext = createContext<Ticker | null>(null);

const ignore = () => () => {
	// Nothing to unsubscribe.
};

/** The time to draw ages at: the ticking clock's when there is one (re-rendering this component once a second), else `frameNow`. */
export function useClock(frameNow: number): number {
	const ticker = useContext(ClockContext);
	// The snapshot changes once a second: that change is the re-render.
	useSyncExternalStore(ticker?.subscribe ?? ignore, () =>
		ticker ? Math.floor(ticker.now() / tickMs) : 0,
	);
	return ticker ? Math.max(frameNow, ticker.now()) : frameNow;
}
