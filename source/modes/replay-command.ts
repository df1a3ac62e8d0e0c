/**
`--replay FILE`: a recording watched again through the live pipeline. With `--once` it reports the moment `--at`
names (default: the end) and exits with that moment's health code; otherwise it plays the recording at `--speed`
into the full-screen view (space pause, r step, ] jump a minute) or as lines.
*/
import type {AlertConfig} from '../alerts/alert-config.js';
import type {CliOptions} from '../config/cli-options.js';
import {openRecording} from '../record/read-recording.js';
import {entryAt} from '../record/record-line.js';
import {createReplayer} from '../record/replay-clock.js';
import {momentCutoff, parseMoment} from '../record/replay-moment.js';
import type {MonitorActions} from '../store/monitor-state.js';
import {loadTui} from './load-tui.js';
import type {ModeIo} from './mode-io.js';
import {printOnceReport} from './once-output.js';
import {reportLine} from './report-line.js';
import {reportSnapshot} from './report-snapshot.js';
import {createReplaySession} from './replay-session.js';
import {nextWindowSeconds} from './monitor-session.js';

/** Promise.withResolvers arrived in Node 22. */
function withResolvers(): {promise: Promise<void>; resolve: () => void} {
	let resolve: () => void = () => undefined;
	const promise = new Promise<void>(done => {
		resolve = done;
	});
	return {promise, resolve};
}

/** How far `]` jumps ahead in recorded time. */
const jumpSeconds = 60;

export async function runReplayCommand(
	options: CliOptions,
	alertConfig: AlertConfig,
	io: ModeIo,
): Promise<number> {
	const file = options.replay!;
	const warn = (message: string) => {
		io.stderr.write(`vllm-top: ${message}\n`);
	};

	const moment = options.at === undefined ? undefined : parseMoment(options.at);
	if (moment && !moment.ok) {
		warn(moment.error);
		return 2;
	}

	const opened = await openRecording(file, warn);
	if (!opened.ok) {
		warn(opened.error);
		return 2;
	}

	if (options.once) {
		const session = createReplaySession({
			windowSeconds: options.windowSeconds,
			alertConfig,
			format: options.format,
			intervalMs: options.intervalMs,
		});
		let cutoff: number | undefined;
		for await (const entry of opened.entries) {
			const at = entryAt(entry);
			cutoff ??= moment?.ok
				? momentCutoff(moment.moment, at)
				: Number.POSITIVE_INFINITY;
			if (at > cutoff) {
				break;
			}

			session.feed(entry);
		}

		const {targets, windowSeconds} = session.store.get();
		if (targets.length === 0) {
			warn(
				`${file} holds no scrape before that moment: check --at and the file`,
			);
			return 3;
		}

		return printOnceReport(
			targets.map(view => reportSnapshot(view, windowSeconds)),
			options,
			io,
		);
	}

	const useTui = options.output === 'tui' && io.stdout.isTTY === true;
	const session = createReplaySession({
		windowSeconds: options.windowSeconds,
		alertConfig,
		format: options.format,
		intervalMs: options.intervalMs,
		onUpdate: useTui
			? undefined
			: (_index, view) => {
					const line = reportLine(
						view,
						options.output,
						session.store.get().windowSeconds,
					);
					io.stdout.write(`${line}\n`);
				},
	});
	const speedText = options.speed === 'max' ? 'max speed' : `${options.speed}x`;
	const say = (message: string) => {
		session.store.update(state => ({...state, message}));
	};

	const {promise: finished, resolve: ended} = withResolvers();
	const replayer = createReplayer({
		source: opened.entries,
		speed: options.speed,
		onRecord(name, result) {
			session.feed({type: 'scrape', name, result});
			session.store.update(state => ({
				...state,
				replayAt: result.at + result.durationMs,
			}));
		},
		onMeta(name, meta) {
			session.feed({type: 'meta', name, meta});
		},
		onEnd() {
			say(`replay of ${file} ended${useTui ? ': q quits' : ''}`);
			ended();
		},
		onError: warn,
	});
	if (!useTui) {
		const stop = () => {
			replayer.stop();
			ended();
		};

		io.signal.addEventListener('abort', stop, {once: true});
		await finished;
		io.signal.removeEventListener('abort', stop);
		return 0;
	}

	const playingMessage = `replay of ${file} at ${speedText} · space pause · r step · ] jump ${jumpSeconds}s`;
	say(playingMessage);
	const {runTui} = await loadTui();
	const view: {unmount?: () => void} = {};
	const actions: MonitorActions = {
		quit() {
			replayer.stop();
			view.unmount?.();
		},
		togglePause() {
			// The replayer stops feeding; the view itself stays live so `r` can step through frozen time.
			if (replayer.paused) {
				replayer.resume();
				say(playingMessage);
			} else {
				replayer.pause();
				say(`replay PAUSED · space resume · r step · ] jump ${jumpSeconds}s`);
			}
		},
		setInterval() {
			// The recording's own times set the pace; --speed scales them.
		},
		cycleWindow() {
			session.store.update(state => ({
				...state,
				windowSeconds: nextWindowSeconds(state.windowSeconds),
			}));
		},
		scrapeNow() {
			replayer.step();
		},
		jump() {
			replayer.jump(jumpSeconds);
		},
		profilerKey() {
			// A recording has no server to profile.
		},
	};
	const tui = runTui({
		store: session.store,
		actions,
		ascii: options.ascii,
		color: options.color,
	});
	view.unmount = tui.unmount;
	io.signal.addEventListener('abort', actions.quit, {once: true});
	try {
		await tui.done;
		return 0;
	} finally {
		io.signal.removeEventListener('abort', actions.quit);
		replayer.stop();
	}
}
