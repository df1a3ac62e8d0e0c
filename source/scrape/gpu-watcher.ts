/**
Polls one GPU source at the monitor's current interval, apart from the scrapes: a slow or hung tool delays only the
GPU panel, never a scrape. At most one poll is in flight; its timers never keep the process alive.
*/
import {emptyGpuPanel, type GpuPanel, nextGpuPanel} from '../gpu/gpu-panel.js';
import type {GpuReader} from './gpu-readers.js';

export type GpuWatcher = {
	start(): void;
	/** Polls now (unless one is in flight) and resolves when the panel has the answer; `--once` waits on it. */
	pollNow(): Promise<void>;
	stop(): void;
};

export type GpuWatcherOptions = {
	readonly source: string;
	readonly read: GpuReader;
	/** Read before each wait, so the `+`/`-` keys change the GPU poll too. */
	readonly intervalMs: () => number;
	readonly onPanel: (panel: GpuPanel) => void;
	readonly now?: () => number;
};

export function createGpuWatcher(options: GpuWatcherOptions): GpuWatcher {
	const now = options.now ?? Date.now;
	let panel = emptyGpuPanel(options.source);
	let timer: NodeJS.Timeout | undefined;
	let inFlight: Promise<void> | undefined;
	let running = false;
	let closed = false;

	const poll = async () => {
		inFlight ??= options
			.read()
			.then(outcome => {
				panel = nextGpuPanel(panel, outcome, now());
				if (!closed) {
					options.onPanel(panel);
				}
			})
			.finally(() => {
				inFlight = undefined;
			});
		return inFlight;
	};

	const schedule = () => {
		timer = setTimeout(() => {
			void poll().finally(() => {
				if (running) {
					schedule();
				}
			});
		}, options.intervalMs());
		timer.unref();
	};

	return {
		start() {
			if (running || closed) {
				return;
			}

			running = true;
			void poll();
			schedule();
		},
		async pollNow() {
			await poll();
		},
		stop() {
			running = false;
			closed = true;
			clearTimeout(timer);
		},
	};
}
