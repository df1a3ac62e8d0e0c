/**
A real terminal for end-to-end tests: a detached tmux session on a private socket, so that tests never touch a
user's tmux server and can run side by side. Everything here is synchronous `tmux` calls except waiting.
*/
import {execFileSync, spawnSync} from 'node:child_process';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';

export type TmuxOptions = {
	/** One shell command line, run by tmux through `sh -c`. */
	readonly command: string;
	readonly columns: number;
	readonly rows: number;
	/** Set in the pane's environment (tmux's own `-e`), on top of the server's. */
	readonly env?: Readonly<Record<string, string>>;
	/** @default process.cwd() */
	readonly cwd?: string;
};

export type CaptureOptions = {
	/** Keep the escape sequences of colours and attributes (`capture-pane -e`). */
	readonly escapes?: boolean;
	/** Join lines that the terminal wrapped (`capture-pane -J`). */
	readonly joinWrapped?: boolean;
};

export type TmuxSession = {
	/** The private socket name (`tmux -L`). */
	readonly socket: string;
	/** The visible screen, one string, lines joined with `\n`. */
	readonly capture: (options?: CaptureOptions) => string;
	/** Keys as tmux names them: `q`, `Space`, `Escape`, `?`, `C-c`. */
	readonly sendKeys: (...keys: string[]) => void;
	readonly resize: (columns: number, rows: number) => void;
	/** A tmux format of the pane, e.g. `#{cursor_flag}`, `#{alternate_on}`, `#{pane_pid}`. */
	readonly display: (format: string) => string;
	/** Poll the screen until `predicate` holds; rejects with the last screen after `timeoutMs`. */
	readonly waitFor: (
		predicate: (screen: string) => boolean,
		timeoutMs: number,
		options?: CaptureOptions,
	) => Promise<string>;
	/** Whether the session (and so the command's pane) still exists. */
	readonly isAlive: () => boolean;
	/** End the server and everything in it. Safe to call more than once. */
	readonly kill: () => void;
};

let sessionCount = 0;

/** Why tmux tests cannot run here, or undefined when they can. */
export function tmuxMissing(): string | undefined {
	const probe = spawnSync('tmux', ['-V'], {encoding: 'utf8'});
	return probe.error === undefined && probe.status === 0
		? undefined
		: 'tmux not installed: apt-get install tmux';
}

/** The server's environment: the test's own, minus what would make tmux nest or colour differently. */
function serverEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env};
	delete env['TMUX'];
	delete env['TMUX_PANE'];
	delete env['NO_COLOR'];
	delete env['FORCE_COLOR'];
	return env;
}

export function startTmux(options: TmuxOptions): TmuxSession {
	sessionCount++;
	const socket = `vllm-top-test-${process.pid}-${sessionCount}`;
	const target = 'main';
	const env = serverEnv();
	const tmux = (...arguments_: string[]): string =>
		execFileSync('tmux', ['-L', socket, ...arguments_], {
			encoding: 'utf8',
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});

	const paneEnv = Object.entries({
		TERM: 'xterm-256color',
		LANG: 'C.UTF-8',
		...options.env,
	}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
	execFileSync(
		'tmux',
		[
			'-L',
			socket,
			'-f',
			'/dev/null',
			'new-session',
			'-d',
			'-s',
			target,
			'-x',
			String(options.columns),
			'-y',
			String(options.rows),
			'-c',
			options.cwd ?? process.cwd(),
			...paneEnv,
			options.command,
		],
		{env, stdio: 'ignore'},
	);
	// Keep the pane after its command ends, so the last screen can still be read.
	tmux('set-option', '-t', target, 'remain-on-exit', 'on');

	let killed = false;
	const capture = (captureOptions: CaptureOptions = {}): string =>
		tmux(
			'capture-pane',
			'-p',
			'-t',
			target,
			...(captureOptions.escapes ? ['-e'] : []),
			...(captureOptions.joinWrapped ? ['-J'] : []),
		).replace(/\n$/, '');

	return {
		socket,
		capture,
		sendKeys(...keys) {
			tmux('send-keys', '-t', target, ...keys);
		},
		resize(columns, rows) {
			// A detached session has no client to take a size from: resize-window sets it (tmux >= 2.9).
			tmux(
				'resize-window',
				'-t',
				target,
				'-x',
				String(columns),
				'-y',
				String(rows),
			);
		},
		display(format) {
			return tmux('display-message', '-p', '-t', target, format).trim();
		},
		async waitFor(predicate, timeoutMs, captureOptions) {
			const deadline = Date.now() + timeoutMs;
			let screen = '';
			for (;;) {
				screen = capture(captureOptions);
				if (predicate(screen)) {
					return screen;
				}

				if (Date.now() > deadline) {
					throw new Error(
						`screen did not match within ${timeoutMs} ms; last screen:\n${screen}`,
					);
				}

				await delay(100);
			}
		},
		isAlive() {
			return (
				spawnSync('tmux', ['-L', socket, 'has-session', '-t', target], {
					env,
					stdio: 'ignore',
				}).status === 0
			);
		},
		kill() {
			if (killed) {
				return;
			}

			killed = true;
			spawnSync('tmux', ['-L', socket, 'kill-server'], {env, stdio: 'ignore'});
		},
	};
}
