/**
Everything the full-screen view shows, as one immutable value in a `Store<MonitorState>`, and the commands it may send
back. The view only reads this and calls actions; whoever owns the scraper applies them.
*/
import type {Thresholds} from '../alerts/rule-defaults.js';
import {
	defaultIntervalMs,
	maxIntervalMs,
	minIntervalMs,
} from '../scrape/interval.js';
import type {GpuPanel} from '../gpu/gpu-panel.js';
import type {TargetView} from './target-view.js';

export type ProfilerPhase =
	'idle' | 'confirm' | 'starting' | 'running' | 'stopping' | 'done' | 'error';

export type ProfilerView = {
	readonly phase: ProfilerPhase;
	/** Epoch ms the profiler started, while it runs. */
	readonly startedAt: number | null;
	/** Epoch ms `/stop_profile` was sent: the trace can take a while to write. */
	readonly stoppingSince: number | null;
	/** One line: the trace location when done, the cause when it failed. */
	readonly detail: string | null;
};

export type ReplayProgress = {
	/** Recorded epoch ms of the first entry. */
	readonly startAt: number | null;
	/** Recorded epoch ms of the last entry, once the file has been read through for it. */
	readonly endAt: number | null;
	readonly paused: boolean;
};

export type MonitorState = {
	readonly targets: readonly TargetView[];
	/** Index into `targets` of the target on screen. */
	readonly selected: number;
	readonly intervalMs: number;
	/**
	Deadline of one scrape, for when data counts as stale.

	@default 3000
	*/
	readonly timeoutMs?: number;
	/** The alert thresholds in force, for colouring trends as the rules judge them; the defaults when absent. */
	readonly thresholds?: Thresholds;
	/** Window the latency quantiles are computed over. */
	readonly windowSeconds: number;
	/** Scraping goes on while paused; only the view freezes. */
	readonly paused: boolean;
	/** No profiler and no other request that changes the server. */
	readonly readOnly: boolean;
	/** One-line status, e.g. a recording error. */
	readonly message: string | null;
	readonly profiler: ProfilerView | null;
	/** Replay: the recorded time the view stands at, so ages read as they did then; null when live. */
	readonly replayAt?: number | null;
	/** Replay: where the recording starts and ends (null until known) and whether it is paused; absent when live. */
	readonly replay?: ReplayProgress;
	/** The GPU panel of each target, by index into `targets`; absent where no GPU source applies. */
	readonly gpus?: ReadonlyArray<GpuPanel | undefined>;
};

export type MonitorActions = {
	readonly quit: () => void;
	readonly togglePause: () => void;
	/** The view passes the next step of `intervalStepsMs`; the receiver still clamps to the bounds. */
	readonly setInterval: (ms: number) => void;
	readonly cycleWindow: () => void;
	readonly scrapeNow: () => void;
	/** Show this target (an index into `targets`), from the fleet view. */
	readonly select?: (index: number) => void;
	/** Replay only: skip ahead in recorded time. */
	readonly jump?: () => void;
	/** Keys of the profiler flow: `p` start or stop, `y`/`n` answer the confirmation, `escape` cancel it. */
	readonly profilerKey: (key: 'p' | 'y' | 'n' | 'escape') => void;
};

/** The `+`/`-` ladder: round numbers people pick, between the bounds. */
export const intervalStepsMs: readonly number[] = [
	500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000,
];

/** The next rung up (`1`) or down (`-1`) from any current interval, clamped to the bounds. */
export function stepInterval(currentMs: number, direction: 1 | -1): number {
	if (direction === 1) {
		return intervalStepsMs.find(step => step > currentMs) ?? maxIntervalMs;
	}

	return intervalStepsMs.findLast(step => step < currentMs) ?? minIntervalMs;
}

/** The state before the first scrape answers. */
export function initialMonitorState(
	targets: readonly TargetView[],
	options: Partial<Omit<MonitorState, 'targets'>> = {},
): MonitorState {
	return {
		targets,
		selected: 0,
		intervalMs: defaultIntervalMs,
		windowSeconds: 60,
		paused: false,
		readOnly: false,
		message: null,
		profiler: null,
		...options,
	};
}
