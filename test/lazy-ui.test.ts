/**
Modes that draw nothing must not pay for ink and React, nor the view for libraries it needs only after its first
frame: the built CLI runs with a module resolve hook that writes every resolved module URL to a file, and the test
reads which packages were loaded.
*/
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {after, before, describe, test} from 'node:test';
import {
	startSimulator,
	type Simulator,
} from '../source/simulator/simulator-server.js';
import {fixturePath} from './support/fixture-path.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const fixture = fixturePath('vllm-v0-opt125m.txt');
const skip = existsSync(cli)
	? undefined
	: 'dist/cli.js missing: npm run build first';

/** Runs in the loader thread: appends each resolved URL, one a line, to $MODULE_LOG. */
const hookSource = String.raw`
import {appendFileSync} from 'node:fs';
export async function resolve(specifier, context, next) {
	const resolved = await next(specifier, context);
	if (process.env.MODULE_LOG) {
		appendFileSync(process.env.MODULE_LOG, resolved.url + '\n');
	}
	return resolved;
}`;
const registerSource = `import {register} from 'node:module'; register(${JSON.stringify(
	`data:text/javascript,${encodeURIComponent(hookSource)}`,
)});`;
const importHook = `data:text/javascript,${encodeURIComponent(registerSource)}`;

const uiPackages =
	/\/node_modules\/(?:ink|react|react-reconciler|yoga-layout)\//;

/** Loaded only when used: zod reads recordings and config files, undici sends the first request. */
const lateLibraries = /\/node_modules\/(?:zod|undici)\//;

let directory = '';
let simulator: Simulator | undefined;
let runs = 0;

type Run = {
	readonly code: number | null;
	readonly stderr: string;
	readonly modules: readonly string[];
};

/** The built CLI (or any script) with the hook; `stopAfterMs` sends SIGTERM for modes that run until stopped. */
async function runWithHook(
	arguments_: readonly string[],
	stopAfterMs?: number,
): Promise<Run> {
	runs++;
	const log = path.join(directory, `modules-${runs}.log`);
	const child = spawn(
		process.execPath,
		['--import', importHook, ...arguments_],
		{
			cwd: root,
			env: {...process.env, MODULE_LOG: log, NO_COLOR: '1'},
			stdio: ['ignore', 'ignore', 'pipe'],
		},
	);
	let stderr = '';
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (chunk: string) => {
		stderr += chunk;
	});
	const stopTimer =
		stopAfterMs === undefined
			? undefined
			: setTimeout(() => {
					child.kill('SIGTERM');
				}, stopAfterMs);
	const killTimer = setTimeout(() => {
		child.kill('SIGKILL');
	}, 30_000);
	try {
		const code = await new Promise<number | null>(resolve => {
			child.on('close', resolve);
		});
		const modules = existsSync(log)
			? readFileSync(log, 'utf8').split('\n').filter(Boolean)
			: [];
		return {code, stderr, modules};
	} finally {
		clearTimeout(stopTimer);
		clearTimeout(killTimer);
	}
}

function uiModules(run: Run): string[] {
	return run.modules.filter(url => uiPackages.test(url));
}

describe('modes without a view do not load ink or React', {skip}, () => {
	before(async () => {
		directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-lazy-'));
		simulator = await startSimulator({profiler: true, profilerStopMs: 100});
	});

	after(async () => {
		await simulator?.stop();
		rmSync(directory, {recursive: true, force: true});
	});

	test('the hook sees ink when it is loaded', async () => {
		const run = await runWithHook([
			'--input-type=module',
			'-e',
			"await import('ink');",
		]);
		assert.equal(run.code, 0, run.stderr);
		assert.ok(uiModules(run).length > 0, 'ink and react resolved');
	});

	test('samples <file>', async () => {
		const run = await runWithHook(['dist/cli.js', 'samples', fixture]);
		assert.equal(run.code, 0, run.stderr);
		assert.ok(
			run.modules.some(url => url.includes('/samples-command.js')),
			'the samples mode ran',
		);
		assert.deepEqual(uiModules(run), []);
	});

	test('--once <url>', async () => {
		const run = await runWithHook([
			'dist/cli.js',
			'--once',
			'-i',
			'0.5',
			simulator!.url,
		]);
		assert.ok(run.code !== null && run.code <= 3, run.stderr);
		assert.ok(
			run.modules.some(url => url.includes('/monitor-command.js')),
			'the monitor mode ran',
		);
		assert.deepEqual(uiModules(run), []);
	});

	test('--plain <url>', async () => {
		const run = await runWithHook(
			['dist/cli.js', '--plain', '-i', '0.5', simulator!.url],
			2500,
		);
		assert.ok(
			run.modules.some(url => url.includes('/monitor-command.js')),
			run.stderr,
		);
		assert.deepEqual(uiModules(run), []);
	});

	test('profile <url>', async () => {
		const run = await runWithHook([
			'dist/cli.js',
			'profile',
			'--duration',
			'1',
			simulator!.url,
		]);
		assert.equal(run.code, 0, run.stderr);
		assert.ok(run.modules.some(url => url.includes('/profile.js')));
		assert.deepEqual(uiModules(run), []);
	});

	test('simulate', async () => {
		const run = await runWithHook(
			['dist/cli.js', 'simulate', '--port', '0'],
			2500,
		);
		assert.ok(
			run.modules.some(url => url.includes('/simulate-command.js')),
			run.stderr,
		);
		assert.deepEqual(uiModules(run), []);
	});

	test('the full-screen view’s start-up modules load neither zod nor undici before the first frame', async () => {
		const run = await runWithHook([
			'--input-type=module',
			'-e',
			[
				'config/cli-options.js',
				'modes/monitor-command.js',
				'modes/run-screen.js',
				'ui/run-tui.js',
			]
				.map(
					file => `await import(${JSON.stringify(`./dist/source/${file}`)});`,
				)
				.join(' '),
		]);
		assert.equal(run.code, 0, run.stderr);
		assert.ok(uiModules(run).length > 0, 'the view’s modules were loaded');
		assert.deepEqual(
			run.modules.filter(url => lateLibraries.test(url)),
			[],
		);
	});
});
