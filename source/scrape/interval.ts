/**
The scrape interval: its bounds, its defaults and the scheduler's own setting. The `--interval` flag, the `+`/`-` keys
and the pollers all read these, so the numbers are written here alone.
*/

/** Fastest scraping a user may ask for. */
export const minIntervalMs = 500;
/** Slowest scraping a user may ask for. */
export const maxIntervalMs = 60_000;
/** vLLM's own periodic log line and most Prometheus setups use a few seconds; 5 s keeps idle cost low. */
export const defaultIntervalMs = 5000;
/** `--once` waits one interval between its two scrapes: short, so a probe answers quickly. */
export const onceIntervalMs = 2000;

export function clampInterval(ms: number): number {
	if (!Number.isFinite(ms)) {
		return defaultIntervalMs;
	}

	return Math.min(maxIntervalMs, Math.max(minIntervalMs, ms));
}

/** How often the pollers run: a setting of the scheduler, which the view only shows. */
export type IntervalSetting = {
	readonly get: () => number;
	/** Clamps to the bounds and returns what it kept. */
	readonly set: (ms: number) => number;
};

export function createIntervalSetting(initialMs: number): IntervalSetting {
	let current = clampInterval(initialMs);
	return {
		get: () => current,
		set(ms) {
			current = clampInterval(ms);
			return current;
		},
	};
}
