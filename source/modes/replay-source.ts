/**
`--replay FILE`: a recording watched again through the live pipeline. `--once` reports the moment `--at` names
(default: the end); otherwise the recording plays at `--speed`, with its own keys in the full-screen view (space
pause, r step, ] jump a minute).
*/
import type {AlertConfig} from '../alerts/alert-config.js';
import type {CliOptions} from '../config/cli-options.js';
import {formatDuration} from '../format/units.js';
import {openRecording} from '../record/read-recording.js';
import {entryAt} from '../record/record-line.js';
import {createReplayer, type Replayer} from '../record/replay-clock.js';
import {recordingSpan} from '../record/recording-span.js';
import {momentCutoff, parseMoment} from '../record/replay-moment.js';
import {createReplaySession} from '../session/replay-session.js';
import {nextWindowSeconds} from '../session/session.js';
import type {ReplayProgress} from '../store/monitor-state.js';
import type {ModeIo} from './mode-io.js';
import type {Source} from './source.js';

/** The error for `--at` after the recording's last record, naming how long the recording is. */
function pastTheEnd(
	file: string,
	at: string,
	first: number,
	last: number,
): string {
	const length = formatDuration(last - first);
	return `--at ${at} is past the end of ${file}, which is ${length} long (${new Date(first).toISOString()} to ${new Date(last).toISOString()}); give a time up to ${length}`;
}

/** How far `]` jumps ahead in recorded time. */
const jumpSeconds = 60;

export async function replaySource(
	options: CliOptions,
	alertConfig: AlertConfig,
	io: ModeIo,
): Promise<Source | string> {
	const file = options.replay!;
	const warn = (message: string) => {
		io.stderr.write(`vllm-top: ${message}\n`);
	};

	const moment = options.at === undefined ? undefined : parseMoment(options.at);
	if (moment && !moment.ok) {
		return moment.error;
	}

	// Reading stops on a signal, on q or at close, even mid-file: an endless input (`--replay /dev/zero`) never ends
	// by itself.
	const reading = new AbortController();
	const stopReading = () => {
		reading.abort();
	};

	io.signal.addEventListener('abort', stopReading, {once: true});
	const opened = await openRecording(file, warn, reading.signal);
	if (!opened.ok) {
		io.signal.removeEventListener('abort', stopReading);
		return opened.error;
	}

	const feed = createReplaySession({
		windowSeconds: options.windowSeconds,
		alertConfig,
		format: options.format,
		intervalMs: options.intervalMs,
	});
	const {store} = feed;
	const speedText = options.speed === 'max' ? 'max speed' : `${options.speed}x`;
	const playing = `replay of ${file} at ${speedText} · space pause · r step · ] jump ${jumpSeconds}s`;
	let replayer: Replayer | undefined;
	let reachedEnd: (note: string) => void = () => undefined;
	const ended = new Promise<string>(resolve => {
		reachedEnd = resolve;
	});

	const progress = (change: Partial<ReplayProgress>) => {
		store.update(state => ({
			...state,
			replay: {
				...(state.replay ?? {startAt: null, endAt: null, paused: false}),
				...change,
			},
		}));
	};

	const started = (at: number) => {
		if (store.get().replay?.startAt === null) {
			progress({startAt: at});
		}
	};

	// The charts' time axis counts one point per scrape: in a replay a scrape is the recording's own gap apart.
	const lastAt = new Map<string, number>();
	const keepPace = (name: string, at: number) => {
		const gap = at - (lastAt.get(name) ?? Number.NaN);
		lastAt.set(name, at);
		if (gap > 0) {
			const intervalMs = Math.max(100, Math.round(gap / 100) * 100);
			store.update(state =>
				state.intervalMs === intervalMs ? state : {...state, intervalMs},
			);
		}
	};

	const play = () => {
		progress({});
		// The length is found by reading the file through a second time, beside the replay.
		void recordingSpan(file, reading.signal).then(span => {
			if (span) {
				progress(span);
			}
		});
		return createReplayer({
			source: opened.entries,
			speed: options.speed,
			onRecord(name, result) {
				started(result.at);
				keepPace(name, result.at);
				feed.feed({type: 'scrape', name, result});
				store.update(state => ({
					...state,
					replayAt: result.at + result.durationMs,
				}));
			},
			onMeta(name, meta) {
				started(meta.at);
				feed.feed({type: 'meta', name, meta});
			},
			onGpu(entry) {
				feed.feed(entry);
			},
			onEnd() {
				reachedEnd(`replay of ${file} ended`);
			},
			onError: warn,
		});
	};

	return {
		session: {
			store,
			start() {
				replayer ??= play();
			},
			stop() {
				replayer?.stop();
				stopReading();
			},
			scrapeNow() {
				replayer?.step();
			},
			setIntervalMs() {
				// The recording's own times set the pace; --speed scales them.
			},
			cycleWindow() {
				store.update(state => ({
					...state,
					windowSeconds: nextWindowSeconds(state.windowSeconds),
				}));
			},
			onUpdate: feed.onUpdate,
		},
		profiler: undefined,
		async settle(signal) {
			let cutoff: number | undefined;
			let first: number | undefined;
			let last: number | undefined;
			for await (const entry of opened.entries) {
				const at = entryAt(entry);
				first ??= at;
				cutoff ??= moment?.ok
					? momentCutoff(moment.moment, at)
					: Number.POSITIVE_INFINITY;
				if (at > cutoff) {
					return !signal.aborted;
				}

				feed.feed(entry);
				last = Math.max(last ?? at, at);
			}

			if (signal.aborted) {
				return false;
			}

			// Read to the end without passing the moment: a moment after the end is a mistake, not "the end".
			return cutoff !== undefined &&
				Number.isFinite(cutoff) &&
				first !== undefined &&
				last !== undefined &&
				cutoff > last
				? pastTheEnd(file, options.at!, first, last)
				: true;
		},
		nothingToReport: () =>
			`${file} holds no scrape before that moment: check --at and the file`,
		player: {
			playing,
			togglePause() {
				// The replayer stops feeding; the view itself stays live so `r` can step through frozen time.
				if (replayer?.paused) {
					replayer.resume();
					progress({paused: false});
					return playing;
				}

				replayer?.pause();
				progress({paused: true});
				return `replay PAUSED · space resume · r step · ] jump ${jumpSeconds}s`;
			},
			jump() {
				replayer?.jump(jumpSeconds);
			},
			ended,
		},
		async close() {
			replayer?.stop();
			io.signal.removeEventListener('abort', stopReading);
			stopReading();
		},
	};
}
