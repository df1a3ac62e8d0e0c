/**
ink-testing-library with a terminal of any size: its fake stdout is fixed at 100 columns and has no rows. Frames are
whole (ink's debug mode), so `lastFrame()` is exactly what the terminal shows.
*/
import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import type {ReactElement} from 'react';

// ink listens with `on`/`off` on Node streams, so the fakes must be EventEmitters.
// eslint-disable-next-line unicorn/prefer-event-target
export class FakeStdout extends EventEmitter {
	readonly frames: string[] = [];
	isTTY = true;
	columns: number;
	rows: number;
	constructor(columns: number, rows: number) {
		super();
		this.columns = columns;
		this.rows = rows;
	}

	write = (frame: string) => {
		this.frames.push(frame);
		return true;
	};

	resize(columns: number, rows: number) {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}

// eslint-disable-next-line unicorn/prefer-event-target
export class FakeStdin extends EventEmitter {
	isTTY = true;
	isRaw = false;
	private data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};

	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding() {
		// The fake stream only carries strings.
	}

	setRawMode(mode: boolean) {
		this.isRaw = mode;
		return this;
	}

	resume() {
		// Nothing is buffered.
	}

	pause() {
		// Nothing is buffered.
	}

	ref() {
		// Keeps no handle.
	}

	unref() {
		// Keeps no handle.
	}
}

export type TerminalRender = {
	readonly stdout: FakeStdout;
	readonly stdin: FakeStdin;
	readonly lastFrame: () => string;
	readonly rerender: (tree: ReactElement) => void;
	readonly unmount: () => void;
};

export function renderTerminal(
	tree: ReactElement,
	size: {columns: number; rows: number},
): TerminalRender {
	const stdout = new FakeStdout(size.columns, size.rows);
	const stdin = new FakeStdin();
	/* eslint-disable @typescript-eslint/no-unsafe-type-assertion -- the fakes implement the part of the stream API ink uses */
	const instance = inkRender(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		stderr: stdout as unknown as NodeJS.WriteStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	/* eslint-enable @typescript-eslint/no-unsafe-type-assertion */
	return {
		stdout,
		stdin,
		lastFrame: () => stdout.frames.at(-1) ?? '',
		rerender: instance.rerender,
		unmount() {
			instance.unmount();
			instance.cleanup();
		},
	};
}

/** Poll until `check` holds (ink renders input asynchronously), failing after `timeoutMs`. */
export async function waitFor(
	check: () => boolean,
	timeoutMs = 2000,
): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) {
			throw new Error(`condition not met within ${timeoutMs} ms`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}
}
