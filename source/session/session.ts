/**
The contract between whatever feeds the store (live scraping, Prometheus, a recording) and whatever shows it (`--once`,
lines, the full-screen view): a store that fills as data arrives, the commands the keys send, and a way to hear of
each target's new view.
*/
import {
	createIntervalSetting,
	type IntervalSetting,
} from '../scrape/interval.js';
import type {MonitorState} from '../store/monitor-state.js';
import type {Store} from '../store/store.js';
import type {TargetView} from '../store/target-view.js';

export type UpdateListener = (index: number, view: TargetView) => void;

export type MonitorSession = {
	readonly store: Store<MonitorState>;
	/** Starts feeding the store. */
	start(): void;
	/** The `r` key: scrape now, or step a paused replay. */
	scrapeNow(): void;
	setIntervalMs(ms: number): void;
	cycleWindow(): void;
	/** Calls `listener` after a target's view changed, until the returned function is called. */
	onUpdate(listener: UpdateListener): () => void;
	stop(): void;
};

/** A session that polls servers (directly or through Prometheus) and can be asked for one round at once. */
export type PollingSession = MonitorSession & {
	/** Feeds the store once from every target, now, and resolves when all have answered (used by `--once`). */
	scrapeAllOnce(options?: {readonly instant?: boolean}): Promise<void>;
};

/** The `w` key's ladder of latency windows. */
export const windowStepsSeconds: readonly number[] = [60, 300, 900];

/** The window after `current` on the `w` ladder. */
export function nextWindowSeconds(current: number): number {
	const index = windowStepsSeconds.indexOf(current);
	return (
		windowStepsSeconds[(index + 1) % windowStepsSeconds.length] ??
		windowStepsSeconds[0]!
	);
}

/**
The interval and window keys, whatever feeds the store. The interval is the scheduler's own setting; the store gets a
copy so the view can show it.
*/
export function settingActions(
	store: Store<MonitorState>,
	interval: IntervalSetting = createIntervalSetting(store.get().intervalMs),
): Pick<MonitorSession, 'setIntervalMs' | 'cycleWindow'> {
	return {
		setIntervalMs(ms) {
			const kept = interval.set(ms);
			store.update(current => ({...current, intervalMs: kept}));
		},
		cycleWindow() {
			store.update(current => ({
				...current,
				windowSeconds: nextWindowSeconds(current.windowSeconds),
			}));
		},
	};
}

/** The listeners of `onUpdate`, called in the order they came. */
export function createUpdateListeners(initial?: UpdateListener): {
	readonly add: (listener: UpdateListener) => () => void;
	readonly notify: UpdateListener;
} {
	const listeners = new Set<UpdateListener>(initial ? [initial] : []);
	return {
		add(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		notify(index, view) {
			for (const listener of listeners) {
				listener(index, view);
			}
		},
	};
}
