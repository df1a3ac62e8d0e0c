/**
Runs the profiler machine against a server: performs its effects (the two POSTs, the auto-stop timer) and feeds the
answers back. Nothing ticks: the view carries `startedAt`/`stoppingSince` and the UI computes mm:ss when it draws.
*/
import type {ScrapeClient} from '../scrape/scrape-client.js';
import type {ProfilerView} from '../store/monitor-state.js';
import {postProfiler} from './profiler-post.js';
import {
	profilerFailureOf,
	type ProfilerFailure,
	withoutTrailingSlash,
} from './describe-profiler-failure.js';
import {
	initialProfilerState,
	isBusy,
	reduceProfiler,
	toProfilerView,
	type ProfilerEffect,
	type ProfilerEvent,
	type ProfilerKey,
	type ProfilerState,
} from './profiler-machine.js';

export type ProfilerDriverOptions = {
	readonly client: ScrapeClient;
	/** Base URL of the server (no /metrics), e.g. from `normalizeTargetUrl(...).base`. */
	readonly baseUrl: string;
	/** `--profile-duration` in ms: a capture stops by itself after this long. */
	readonly durationMs?: number;
	/** Called with every new view; never called with an unchanged one. */
	readonly onChange: (view: ProfilerView) => void;
	/** @default Date.now */
	readonly now?: () => number;
};

export type QuitDecision = 'quit-now' | 'wait';

export type ProfilerDriver = {
	key(key: ProfilerKey): void;
	/** The poller saw the server restart (e.g. its counters went back to zero, or its start time changed). */
	serverRestarted(): void;
	/**
	Settles when the session may end: at once with 'quit-now' if no capture is on the server; otherwise the capture is
	stopped first and it settles with 'quit-now' once the trace is written or the stop failed, or at once on a second
	request. It settles with 'wait' if the user called the quit off (`n`/Escape while waiting).
	*/
	requestQuit(): Promise<QuitDecision>;
	/** A capture is starting, running or being written. */
	busy(): boolean;
	view(): ProfilerView;
	/** One line for stderr if the session ends now with a capture still on the server, else null. */
	leftover(): string | null;
	/** Stops timers, cancels requests in flight and ignores their answers; pending quits settle with 'quit-now'. */
	dispose(): void;
};

/** A running server answers /start_profile within milliseconds; a stop may take minutes and has no timeout. */
export const startTimeoutMs = 10_000;

export function createProfilerDriver(
	options: ProfilerDriverOptions,
): ProfilerDriver {
	const {client, onChange} = options;
	const now = options.now ?? Date.now;
	const base = withoutTrailingSlash(options.baseUrl);
	let state: ProfilerState = initialProfilerState({
		baseUrl: base,
		durationMs: options.durationMs ?? null,
	});
	let view = toProfilerView(state);
	let autoStop: NodeJS.Timeout | undefined;
	let disposed = false;
	const inFlight = new AbortController();
	const quits = new Set<(decision: QuitDecision) => void>();

	const settleQuits = (decision: QuitDecision) => {
		for (const settle of quits) {
			settle(decision);
		}

		quits.clear();
	};

	const cancelAutoStop = () => {
		if (autoStop !== undefined) {
			clearTimeout(autoStop);
			autoStop = undefined;
		}
	};

	const dispatch = (event: ProfilerEvent) => {
		if (disposed) {
			return;
		}

		const next = reduceProfiler(state, event);
		state = next.state;
		const nextView = toProfilerView(state);
		if (!sameView(view, nextView)) {
			view = nextView;
			onChange(view);
		}

		for (const effect of next.effects) {
			perform(effect);
		}
	};

	const post = async (
		url: string,
		timeoutMs: number | null,
		answer: (failure: ProfilerFailure | null) => ProfilerEvent,
	) => {
		const result = await postProfiler(client, url, {
			timeoutMs,
			signal: inFlight.signal,
		});
		dispatch(answer(result.ok ? null : profilerFailureOf(result)));
	};

	function perform(effect: ProfilerEffect): void {
		switch (effect.type) {
			case 'post-start': {
				void post(state.startUrl, startTimeoutMs, failure =>
					failure === null
						? {type: 'start-ok', at: now()}
						: {type: 'start-failed', failure},
				);
				break;
			}

			case 'post-stop': {
				void post(state.stopUrl, null, failure =>
					failure === null
						? {type: 'stop-ok', at: now()}
						: {type: 'stop-failed', failure},
				);
				break;
			}

			case 'schedule-auto-stop': {
				cancelAutoStop();
				const {capture, ms} = effect;
				autoStop = setTimeout(() => {
					autoStop = undefined;
					dispatch({type: 'deadline', capture, at: now()});
				}, ms);
				break;
			}

			case 'cancel-auto-stop': {
				cancelAutoStop();
				break;
			}

			case 'allow-quit': {
				settleQuits('quit-now');
				break;
			}

			case 'cancel-quit': {
				settleQuits('wait');
				break;
			}
		}
	}

	return {
		key(key) {
			dispatch({type: 'key', key, at: now()});
		},
		serverRestarted() {
			dispatch({type: 'server-restarted', at: now()});
		},
		async requestQuit() {
			if (disposed) {
				return 'quit-now';
			}

			const decision = new Promise<QuitDecision>(resolve => {
				quits.add(resolve);
			});
			dispatch({type: 'quit-requested', at: now()});
			return decision;
		},
		busy: () => isBusy(state),
		view: () => view,
		leftover() {
			switch (state.phase) {
				case 'starting':
				case 'running': {
					return `the profiler may still be running on ${base}: stop it with curl -X POST ${state.stopUrl}`;
				}

				case 'stopping': {
					return `${base} is still writing the profiler trace; it finishes by itself: look in its torch_profiler_dir for *.pt.trace.json.gz`;
				}

				case 'idle':
				case 'confirm':
				case 'done':
				case 'error': {
					return null;
				}
			}
		},
		dispose() {
			if (disposed) {
				return;
			}

			disposed = true;
			cancelAutoStop();
			inFlight.abort();
			settleQuits('quit-now');
		},
	};
}

function sameView(a: ProfilerView, b: ProfilerView): boolean {
	return (
		a.phase === b.phase &&
		a.startedAt === b.startedAt &&
		a.stoppingSince === b.stoppingSince &&
		a.detail === b.detail
	);
}
