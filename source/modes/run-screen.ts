/**
The full-screen view from any source: the keys become session commands, the profiler key acts on the one server a
live source names, and a replay brings its own pause and jump keys and status lines.
*/
import type {CliOptions} from '../config/cli-options.js';
import type {ProfilerDriver} from '../profiler/profiler-driver.js';
import type {MonitorActions} from '../store/monitor-state.js';
import {loadTui} from './load-tui.js';
import type {ModeIo} from './mode-io.js';
import type {Source} from './source.js';

export async function runScreen(
	options: CliOptions,
	source: Source,
	io: ModeIo,
): Promise<number> {
	const {session, player} = source;
	const profiler = await openProfiler(options, source);
	const stopRestarts = session.onUpdate((_index, view) => {
		if (view.snapshot?.restarted) {
			profiler?.serverRestarted();
		}
	});
	session.store.update(state => ({
		...(profiler
			? {...state, profiler: profiler.view()}
			: {...state, readOnly: true}),
		timeoutMs: options.timeoutMs,
	}));
	const say = (message: string) => {
		session.store.update(state => ({...state, message}));
	};

	if (player) {
		say(player.playing);
		void player.ended.then(note => {
			say(`${note}: q quits`);
		});
	}

	const {runTui} = await loadTui();
	// Quitting aborts this; the view is unmounted on it below, once it exists.
	const quit = new AbortController();
	const end = () => {
		session.stop();
		quit.abort();
	};

	const actions: MonitorActions = {
		quit() {
			if (!profiler?.busy()) {
				end();
				return;
			}

			// A capture is on the server: stop it first (the view says so), unless the user presses q again.
			void profiler.requestQuit().then(decision => {
				if (decision === 'quit-now') {
					end();
				}
			});
		},
		togglePause() {
			if (player) {
				say(player.togglePause());
				return;
			}

			session.store.update(state => ({...state, paused: !state.paused}));
		},
		setInterval(ms) {
			session.setIntervalMs(ms);
		},
		cycleWindow() {
			session.cycleWindow();
		},
		scrapeNow() {
			session.scrapeNow();
		},
		...(player ? {jump: player.jump} : {}),
		profilerKey(key) {
			profiler?.key(key);
		},
		select(index) {
			session.store.update(state => ({...state, selected: index}));
		},
	};
	const tui = runTui({
		store: session.store,
		actions,
		ascii: options.ascii,
		color: options.color,
		bench: io.bench,
	});
	quit.signal.addEventListener('abort', tui.unmount, {once: true});
	session.start();
	io.signal.addEventListener('abort', end, {once: true});
	try {
		await tui.done;
		return 0;
	} catch (error) {
		io.stderr.write(
			`vllm-top: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		return 1;
	} finally {
		io.signal.removeEventListener('abort', end);
		stopRestarts();
		session.stop();
		const leftover = profiler?.leftover();
		if (leftover) {
			io.stderr.write(`vllm-top: ${leftover}\n`);
		}

		profiler?.dispose();
	}
}

/** The profiler driver for the one server a source names, unless `--read-only`. It loads only here. */
async function openProfiler(
	options: CliOptions,
	source: Source,
): Promise<ProfilerDriver | undefined> {
	if (options.readOnly || source.profiler === undefined) {
		return undefined;
	}

	const {createProfilerDriver} = await import('../profiler/profiler-driver.js');
	const {session} = source;
	return createProfilerDriver({
		client: source.profiler.client,
		baseUrl: source.profiler.base,
		durationMs: options.profileDurationMs,
		onChange(profilerView) {
			session.store.update(state => ({...state, profiler: profilerView}));
		},
	});
}
