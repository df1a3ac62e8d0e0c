/**
The profiler flow as a pure reducer: events in, the next state and the I/O to perform out. The driver does the I/O and
feeds the answers back as events, so every transition, including the odd ones (double presses, answers that arrive
after the user moved on, a restart mid-capture, quitting mid-capture), is tested without a server.

Quitting while a capture runs: the first quit stops the capture and quits once the trace is written, so a capture is
never left running on the server. While that stop is being written, a second quit ends at once: the server already
has the stop and finishes writing the trace by itself. `n` or Escape while waiting cancels the quit.
*/
import type {ProfilerPhase, ProfilerView} from '../store/monitor-state.js';
import {
	describeProfilerFailure,
	restartedDuringCapture,
	restartedDuringStop,
	traceWritten,
	type ProfilerFailure,
	withoutTrailingSlash,
} from './describe-profiler-failure.js';

export type ProfilerKey = 'p' | 'y' | 'n' | 'escape';

export type ProfilerState = {
	readonly phase: ProfilerPhase;
	readonly startedAt: number | null;
	readonly stoppingSince: number | null;
	readonly detail: string | null;
	/** A quit waits for the capture to stop (or to start and then stop). */
	readonly quitPending: boolean;
	/** Keys do nothing: the monitor must not change the server. */
	readonly readOnly: boolean;
	/** Auto-stop after this long (`--profile-duration`); null runs until `p`. */
	readonly durationMs: number | null;
	/** Counts captures, so an auto-stop timer from an earlier capture cannot stop a later one. */
	readonly capture: number;
	/** The endpoint URLs, for messages. */
	readonly startUrl: string;
	readonly stopUrl: string;
};

export type ProfilerEvent =
	| {readonly type: 'key'; readonly key: ProfilerKey; readonly at: number}
	| {readonly type: 'start-ok'; readonly at: number}
	| {readonly type: 'start-failed'; readonly failure: ProfilerFailure}
	| {readonly type: 'stop-ok'; readonly at: number}
	| {readonly type: 'stop-failed'; readonly failure: ProfilerFailure}
	/** The auto-stop timer of capture `capture` fired. */
	| {readonly type: 'deadline'; readonly capture: number; readonly at: number}
	| {readonly type: 'server-restarted'; readonly at: number}
	| {readonly type: 'quit-requested'; readonly at: number};

export type ProfilerEffect =
	| {readonly type: 'post-start'}
	| {readonly type: 'post-stop'}
	| {
			readonly type: 'schedule-auto-stop';
			readonly ms: number;
			readonly capture: number;
	  }
	| {readonly type: 'cancel-auto-stop'}
	/** The pending quit (or this one) may end the session now. */
	| {readonly type: 'allow-quit'}
	/** The pending quit was called off: the session stays. */
	| {readonly type: 'cancel-quit'};

export type ProfilerTransition = {
	readonly state: ProfilerState;
	readonly effects: readonly ProfilerEffect[];
};

export type ProfilerSetup = {
	/** Base URL of the server (no /metrics). */
	readonly baseUrl: string;
	readonly durationMs?: number | null;
	readonly readOnly?: boolean;
};

const quitWaitingForStart =
	'quitting once the profiler has started and been stopped again';
const quitWaitingForTrace =
	'quitting when the trace is written; q again quits now (the server finishes writing it), n stays';

export function initialProfilerState(setup: ProfilerSetup): ProfilerState {
	const base = withoutTrailingSlash(setup.baseUrl);
	const duration = setup.durationMs ?? null;
	return {
		phase: 'idle',
		startedAt: null,
		stoppingSince: null,
		detail: null,
		quitPending: false,
		readOnly: setup.readOnly ?? false,
		durationMs:
			duration !== null && Number.isFinite(duration) && duration > 0
				? duration
				: null,
		capture: 0,
		startUrl: `${base}/start_profile`,
		stopUrl: `${base}/stop_profile`,
	};
}

/** What the view shows. */
export function toProfilerView(state: ProfilerState): ProfilerView {
	return {
		phase: state.phase,
		startedAt: state.startedAt,
		stoppingSince: state.stoppingSince,
		detail: state.detail,
	};
}

/** Whether a capture is starting, running or being written: quitting now would leave the server profiling. */
export function isBusy(state: ProfilerState): boolean {
	return (
		state.phase === 'starting' ||
		state.phase === 'running' ||
		state.phase === 'stopping'
	);
}

export function reduceProfiler(
	state: ProfilerState,
	event: ProfilerEvent,
): ProfilerTransition {
	switch (event.type) {
		case 'key': {
			return state.readOnly ? same(state) : onKey(state, event.key, event.at);
		}

		case 'start-ok': {
			if (state.phase !== 'starting') {
				return same(state);
			}

			const capture = state.capture + 1;
			if (state.quitPending) {
				return {
					state: {
						...state,
						phase: 'stopping',
						capture,
						startedAt: event.at,
						stoppingSince: event.at,
						detail: quitWaitingForTrace,
					},
					effects: [{type: 'post-stop'}],
				};
			}

			return {
				state: {
					...state,
					phase: 'running',
					capture,
					startedAt: event.at,
					stoppingSince: null,
					detail: null,
				},
				effects:
					state.durationMs === null
						? []
						: [{type: 'schedule-auto-stop', ms: state.durationMs, capture}],
			};
		}

		case 'start-failed': {
			if (state.phase !== 'starting') {
				return same(state);
			}

			return toRest(
				state,
				'error',
				describeProfilerFailure('start', state.startUrl, event.failure),
			);
		}

		case 'stop-ok': {
			return state.phase === 'stopping'
				? toRest(state, 'done', traceWritten)
				: same(state);
		}

		case 'stop-failed': {
			if (state.phase !== 'stopping') {
				return same(state);
			}

			return toRest(
				state,
				'error',
				describeProfilerFailure('stop', state.stopUrl, event.failure),
			);
		}

		case 'deadline': {
			return state.phase === 'running' && event.capture === state.capture
				? stop(state, event.at)
				: same(state);
		}

		case 'server-restarted': {
			// While starting, the start's answer tells what the (new) server does; it is still coming.
			if (state.phase === 'running') {
				return toRest(state, 'error', restartedDuringCapture, [
					{type: 'cancel-auto-stop'},
				]);
			}

			if (state.phase === 'stopping') {
				return toRest(state, 'error', restartedDuringStop);
			}

			return same(state);
		}

		case 'quit-requested': {
			return onQuit(state, event.at);
		}
	}
}

function onKey(
	state: ProfilerState,
	key: ProfilerKey,
	at: number,
): ProfilerTransition {
	switch (state.phase) {
		case 'idle':
		case 'done':
		case 'error': {
			// `y` alone never starts a capture: only `p` opens the question.
			return key === 'p'
				? {
						state: {
							...state,
							phase: 'confirm',
							startedAt: null,
							stoppingSince: null,
							detail: null,
						},
						effects: [],
					}
				: same(state);
		}

		case 'confirm': {
			if (key === 'p' || key === 'y') {
				return {
					state: {...state, phase: 'starting', detail: null},
					effects: [{type: 'post-start'}],
				};
			}

			return {state: {...state, phase: 'idle', detail: null}, effects: []};
		}

		case 'starting': {
			// The start answers within its timeout; a stop sent before it could reach the server first.
			return same(state);
		}

		case 'running': {
			return key === 'p' ? stop(state, at) : same(state);
		}

		case 'stopping': {
			if (state.quitPending && (key === 'n' || key === 'escape')) {
				return {
					state: {...state, quitPending: false, detail: null},
					effects: [{type: 'cancel-quit'}],
				};
			}

			return same(state);
		}
	}
}

function onQuit(state: ProfilerState, at: number): ProfilerTransition {
	switch (state.phase) {
		case 'idle':
		case 'done':
		case 'error': {
			return {state, effects: [{type: 'allow-quit'}]};
		}

		case 'confirm': {
			return {
				state: {...state, phase: 'idle', detail: null},
				effects: [{type: 'allow-quit'}],
			};
		}

		case 'starting': {
			return state.quitPending
				? {state, effects: [{type: 'allow-quit'}]}
				: {
						state: {...state, quitPending: true, detail: quitWaitingForStart},
						effects: [],
					};
		}

		case 'running': {
			const stopped = stop(state, at);
			return {
				state: {
					...stopped.state,
					quitPending: true,
					detail: quitWaitingForTrace,
				},
				effects: stopped.effects,
			};
		}

		case 'stopping': {
			return state.quitPending
				? {state, effects: [{type: 'allow-quit'}]}
				: {
						state: {...state, quitPending: true, detail: quitWaitingForTrace},
						effects: [],
					};
		}
	}
}

function stop(state: ProfilerState, at: number): ProfilerTransition {
	return {
		state: {...state, phase: 'stopping', stoppingSince: at, detail: null},
		effects: [{type: 'cancel-auto-stop'}, {type: 'post-stop'}],
	};
}

/** Into done or error; a quit that waited for this may go ahead. */
function toRest(
	state: ProfilerState,
	phase: 'done' | 'error',
	detail: string,
	effects: readonly ProfilerEffect[] = [],
): ProfilerTransition {
	return {
		state: {
			...state,
			phase,
			startedAt: null,
			stoppingSince: null,
			detail,
			quitPending: false,
		},
		effects: state.quitPending ? [...effects, {type: 'allow-quit'}] : effects,
	};
}

function same(state: ProfilerState): ProfilerTransition {
	return {state, effects: []};
}
