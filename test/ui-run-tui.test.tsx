import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {afterEach, beforeEach, test} from 'node:test';
import chalk, {type ColorSupportLevel} from 'chalk';
import {createStore} from '../source/store/store.js';
import {
	initialMonitorState,
	type MonitorActions,
} from '../source/store/monitor-state.js';
import {runTui, type TuiSession} from '../source/ui/run-tui.js';
import {noActions} from './support/no-actions.js';
import {FakeStdin, FakeStdout, waitFor} from './support/render-terminal.js';
import {sampleTargetView} from './support/sample-snapshot.js';

let level: ColorSupportLevel;
beforeEach(() => {
	level = chalk.level;
});

afterEach(() => {
	chalk.level = level;
});

const enter = '\u001B[?1049h\u001B[?25l';
const leave = '\u001B[?1049l\u001B[?25h';
const watched = [
	'SIGINT',
	'SIGTERM',
	'uncaughtException',
	'unhandledRejection',
	'exit',
] as const;

function start(color: boolean) {
	const stdout = new FakeStdout(80, 24);
	const stdin = new FakeStdin();
	const store = createStore(initialMonitorState([sampleTargetView()]));
	const holder: {session?: TuiSession} = {};
	const actions: MonitorActions = {
		...noActions,
		quit() {
			holder.session?.unmount();
		},
	};
	const session = runTui({
		store,
		actions,
		ascii: false,
		color,
		/* eslint-disable @typescript-eslint/no-unsafe-type-assertion -- the fakes implement the part of the stream API ink uses */
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		/* eslint-enable @typescript-eslint/no-unsafe-type-assertion */
	});
	holder.session = session;
	const output = () => stdout.frames.join('');
	return {stdout, stdin, store, session, output};
}

async function withTimeout<T>(promise: Promise<T>, ms = 3000): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_resolve, reject) => {
				timer = setTimeout(() => {
					reject(new Error(`not settled within ${ms} ms`));
				}, ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

test('enters the alternate screen, draws, and on q restores the terminal and removes its handlers', async () => {
	const run = start(true);
	try {
		assert.equal(run.stdout.frames[0], enter);
		await waitFor(() => run.output().includes('gpu-box-1'));
		assert.ok(run.stdin.isRaw, 'raw mode on while running');
		await new Promise(resolve => {
			setTimeout(resolve, 30);
		});
		run.stdin.write('q');
		await withTimeout(run.session.done);
		assert.ok(
			run.output().endsWith(leave),
			JSON.stringify(run.output().slice(-40)),
		);
		assert.equal(run.stdin.isRaw, false);
		// ink's signal-exit keeps its own listener installed; only ours must be gone.
		const ours = new Set(['onSignal', 'onError', 'onExit']);
		for (const event of watched) {
			assert.deepEqual(
				EventEmitter.prototype.listeners
					.call(process, event)
					.filter(listener => ours.has(listener.name)),
				[],
				event,
			);
		}
	} finally {
		run.session.unmount();
	}
});

test('SIGTERM ends the session and restores the terminal', async () => {
	const run = start(true);
	try {
		await waitFor(() => run.output().includes('gpu-box-1'));
		process.emit('SIGTERM', 'SIGTERM');
		await withTimeout(run.session.done);
		assert.ok(run.output().includes(leave));
		assert.equal(
			run.output().indexOf(leave),
			run.output().lastIndexOf(leave),
			'restored once',
		);
	} finally {
		run.session.unmount();
	}
});

test('without colour nothing but cursor and screen control reaches the terminal', async () => {
	const run = start(false);
	try {
		await waitFor(() => run.output().includes('gpu-box-1'));
		assert.equal(chalk.level, 0);
		const colour = new RegExp(
			String.raw`${String.fromCodePoint(27)}\[\d+(?:;\d+)*m`,
			'u',
		);
		assert.doesNotMatch(run.output(), colour);
		run.session.unmount();
		run.session.unmount();
		await withTimeout(run.session.done);
		assert.ok(run.output().endsWith(leave));
	} finally {
		run.session.unmount();
	}
});
