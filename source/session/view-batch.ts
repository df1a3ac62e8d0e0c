/**
Lands the views of one polling round (one wave of a large fleet, see round-waves.ts) in the store together, so the
full-screen view draws once per round rather than once per target: a fleet of 100 would otherwise draw up to `maxFps` frames a second while its round comes in. A round
ends when no scrape is in flight; a view that has landed waits at most `maxWaitMs` for the rest (a slow or dead
target must not hold the others back). One target's round is its one scrape, shown at once.
*/
import type {MonitorState} from '../store/monitor-state.js';
import type {Store} from '../store/store.js';
import type {TargetView} from '../store/target-view.js';

export type ViewBatch = {
	/** A scrape starts. */
	readonly begin: () => void;
	/** A scrape ended with its target's new view, or undefined when it was abandoned. */
	readonly end: (index: number, view: TargetView | undefined) => void;
	/** Drops the pending wait (the session stops). */
	readonly stop: () => void;
};

export const defaultBatchWaitMs = 1000;

export function createViewBatch(
	store: Store<MonitorState>,
	maxWaitMs = defaultBatchWaitMs,
): ViewBatch {
	const pending = new Map<number, TargetView>();
	let inFlight = 0;
	let timer: NodeJS.Timeout | undefined;

	const flush = () => {
		clearTimeout(timer);
		timer = undefined;
		if (pending.size === 0) {
			return;
		}

		const views = new Map(pending);
		pending.clear();
		store.update(current => ({
			...current,
			targets: current.targets.map((view, index) => views.get(index) ?? view),
		}));
	};

	return {
		begin() {
			inFlight++;
		},
		end(index, view) {
			inFlight = Math.max(0, inFlight - 1);
			if (view !== undefined) {
				pending.set(index, view);
			}

			if (inFlight === 0) {
				flush();
			} else if (timer === undefined && pending.size > 0) {
				timer = setTimeout(flush, maxWaitMs);
				timer.unref();
			}
		},
		stop() {
			clearTimeout(timer);
			timer = undefined;
		},
	};
}
