import {inspect} from 'node:util';
import chalk from 'chalk';
import {render} from 'ink';
import type {BenchStripState} from '../bench/bench-strip-state.js';
import type {MonitorActions, MonitorState} from '../store/monitor-state.js';
import type {Store} from '../store/store.js';
import {App} from './app.js';
import {createFrameSignal, FrameSignalContext} from './frame-signal.js';

export type RunTuiOptions = {
	readonly store: Store<MonitorState>;
	/** `quit` must end the session: call the returned `unmount` (after stopping the scraper). */
	readonly actions: MonitorActions;
	/** Only ASCII on screen (`--ascii`). */
	readonly ascii: boolean;
	/** False for `--no-color` or NO_COLOR: ink's own chalk ignores NO_COLOR, so its level is set to 0 here. */
	readonly color: boolean;
	/** @default process.stdout */
	readonly stdout?: NodeJS.WriteStream;
	/** @default process.stdin */
	readonly stdin?: NodeJS.ReadStream;
	/** A load generator's progress, shown above the monitor. */
	readonly bench?: Store<BenchStripState>;
};

export type TuiSession = {
	/** Settles once the view is gone and the terminal restored; rejects with the error that ended it, if any. */
	readonly done: Promise<void>;
	/** Close the view and restore the terminal. Safe to call more than once. */
	readonly unmount: () => void;
};

/** Every signal that ends the view restores the terminal first; SIGHUP comes when the ssh session or terminal closes. */
const endingSignals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

const enterAlternateScreen = '\u001B[?1049h';
const leaveAlternateScreen = '\u001B[?1049l';
const hideCursor = '\u001B[?25l';
const showCursor = '\u001B[?25h';

/**
Start the full-screen view: alternate screen, hidden cursor, key input, and renders only when the store changes or a
key is pressed. The terminal is restored on every way out: `unmount`, SIGINT, SIGTERM, SIGHUP, SIGQUIT, an uncaught
exception or an unhandled rejection. On a signal the session ends and `done` resolves: the caller decides whether to
exit. On an uncaught error `done` rejects with it.
*/
export function runTui(options: RunTuiOptions): TuiSession {
	const stdout = options.stdout ?? process.stdout;
	const stdin = options.stdin ?? process.stdin;
	if (!options.color) {
		chalk.level = 0;
	}

	let restored = false;
	const restore = () => {
		if (restored) {
			return;
		}

		restored = true;
		try {
			if (stdin.isTTY && stdin.isRaw) {
				stdin.setRawMode(false);
			}
		} catch {
			// stdin may already be closed at exit; the terminal reset below still runs.
		}

		try {
			stdout.write(leaveAlternateScreen + showCursor);
		} catch {
			// Best effort: stdout may be gone (a closed pty).
		}
	};

	stdout.write(enterAlternateScreen + hideCursor);
	const frames = createFrameSignal();
	const instance = render(
		<FrameSignalContext.Provider value={frames}>
			<App
				store={options.store}
				actions={options.actions}
				isAscii={options.ascii}
				bench={options.bench}
			/>
		</FrameSignalContext.Provider>,
		{
			stdout,
			stdin,
			exitOnCtrlC: false,
			patchConsole: true,
			maxFps: 4,
			// ink 6.8's line-diff renderer (`incrementalRendering`) moves the cursor up one row too few after a frame
			// shorter than the terminal, which every frame here is, so each frame would land one row lower. The whole
			// frame is written instead, inside a synchronized update, at one frame per scrape or key.
			incrementalRendering: false,
			onRender: frames.emit,
		},
	);

	let failure: unknown;
	const end = () => {
		instance.unmount();
		restore();
	};

	const onSignal = () => {
		end();
	};

	const onError = (error: unknown) => {
		failure = error;
		end();
	};

	// The process must also exit on a synchronous `exit` (handlers above do not run then).
	const onExit = () => {
		restore();
	};

	for (const signal of endingSignals) {
		process.on(signal, onSignal);
	}

	process.on('uncaughtException', onError);
	process.on('unhandledRejection', onError);
	process.on('exit', onExit);
	const removeHandlers = () => {
		for (const signal of endingSignals) {
			process.off(signal, onSignal);
		}

		process.off('uncaughtException', onError);
		process.off('unhandledRejection', onError);
		process.off('exit', onExit);
	};

	const done = (async () => {
		try {
			await instance.waitUntilExit();
		} finally {
			restore();
			removeHandlers();
		}

		if (failure !== undefined) {
			throw failure instanceof Error
				? failure
				: new Error(`uncaught: ${inspect(failure)}`);
		}
	})();

	return {done, unmount: end};
}
