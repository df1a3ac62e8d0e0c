/**
The single executables `npm run dist` writes, run as on a GPU box without Node.js: every node binary of this machine
hidden in a mount namespace, PATH empty. Built once for the whole file (both platforms, into a temporary folder);
the arm64 one cannot run here, so its ELF header is checked instead.
*/
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, openSync, readSync, closeSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {after, before, describe, test, type TestContext} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {z} from 'zod';
import {startTmux, tmuxMissing} from './support/tmux.js';
import {
	hidingMissing,
	isHidden,
	nodeBinaries,
	withoutNode,
} from './support/without-node.js';
import {cliMissing, repoRoot} from './support/run-cli.js';

const script = path.join(repoRoot, 'scripts', 'build-executables.mjs');
/** build-executables' exit status when no Node.js binary could be fetched. */
const unavailableStatus = 69;
const fixture = path.join(
	repoRoot,
	'test',
	'fixtures',
	'vllm-v1-generated-dp2-specdec-lora.txt',
);
const skip = cliMissing ?? hidingMissing();

/** The parts of `--once --json` that show a scrape of a live simulator went through. */
const onceReport = z.object({
	target: z.string(),
	status: z.enum(['ok', 'warn']),
	server: z.object({version: z.string()}),
	signals: z.object({requests_running: z.number()}),
});
const sample = z.object({
	name: z.string(),
	labels: z.record(z.string(), z.string()),
});

type Run = {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
};

/** Runs `command` to its end (killed after `timeoutMs`), collecting its output. */
async function runToEnd(
	command: readonly string[],
	timeoutMs: number,
): Promise<Run> {
	const child = spawn(command[0]!, command.slice(1), {
		cwd: tmpdir(),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const timer = setTimeout(() => {
		child.kill('SIGKILL');
	}, timeoutMs);
	const code = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	clearTimeout(timer);
	return {code, stdout, stderr};
}

/** The machine field of an ELF header (e_machine, little-endian, at byte 18). */
function elfMachine(file: string): number {
	const header = Buffer.alloc(20);
	const fd = openSync(file, 'r');
	try {
		readSync(fd, header, 0, 20, 0);
	} finally {
		closeSync(fd);
	}

	assert.equal(header.subarray(0, 4).toString('latin1'), '\u007FELF');
	return header.readUInt16LE(18);
}

const elfX64 = 0x3e;
const elfAarch64 = 0xb7;

describe('single executable without Node.js', {skip, concurrency: true}, () => {
	let folder = '';
	let unavailable: string | undefined;
	let hide: string[] = [];
	const executable = () => path.join(folder, 'vllm-top-linux-x64');
	const hidden = (...arguments_: string[]) => [
		...hide,
		executable(),
		...arguments_,
	];
	const needsBuild = (context: TestContext): boolean => {
		if (unavailable !== undefined) {
			context.skip(unavailable);
		}

		return unavailable === undefined;
	};

	before(
		async () => {
			folder = mkdtempSync(path.join(tmpdir(), 'vllm-top-executables-'));
			const built = await runToEnd(
				[process.execPath, script, '--out', folder],
				300_000,
			);
			if (built.code === unavailableStatus) {
				unavailable = built.stderr.trim().split('\n').at(-1);
				return;
			}

			assert.equal(built.code, 0, built.stderr);
			hide = withoutNode(
				folder,
				nodeBinaries([path.join(repoRoot, 'node_modules', '.cache')]),
			);
		},
		{timeout: 300_000},
	);

	after(() => {
		rmSync(folder, {recursive: true, force: true});
	});

	test('node is hidden: the node running this test cannot run there', t => {
		if (needsBuild(t)) {
			assert.ok(isHidden(hide, process.execPath));
			assert.ok(isHidden(hide, '/usr/bin/node'));
		}
	});

	test('the arm64 executable is an aarch64 ELF file, the x64 one x86-64', t => {
		if (needsBuild(t)) {
			assert.equal(
				elfMachine(path.join(folder, 'vllm-top-linux-arm64')),
				elfAarch64,
			);
			assert.equal(elfMachine(executable()), elfX64);
		}
	});

	test('--version says it is a single executable', async t => {
		if (!needsBuild(t)) {
			return;
		}

		const run = await runToEnd(hidden('--version'), 30_000);
		assert.equal(run.code, 0, run.stderr);
		assert.match(
			run.stdout,
			/^\d+\.\d+\.\d+ \(single executable, Node\.js v\d+\.\d+\.\d+, linux-x64\)\n$/,
		);
	});

	test('--once --json against the simulator run by the same executable', async t => {
		if (!needsBuild(t)) {
			return;
		}

		const simulator = spawn(
			hide[0]!,
			[...hidden('simulate', '--port', '0')].slice(1),
			{
				cwd: tmpdir(),
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		try {
			let printed = '';
			simulator.stdout.setEncoding('utf8').on('data', (chunk: string) => {
				printed += chunk;
			});
			const deadline = Date.now() + 30_000;
			while (!/http:\/\/127\.0\.0\.1:\d+/.test(printed)) {
				assert.ok(Date.now() < deadline, `simulator did not start: ${printed}`);
				await delay(50);
			}

			const url = /http:\/\/127\.0\.0\.1:\d+/.exec(printed)![0];
			const run = await runToEnd(
				hidden('--once', '--json', '-i', '0.5', url),
				30_000,
			);
			const report = onceReport.parse(JSON.parse(run.stdout));
			assert.ok(report.target.startsWith(url), run.stdout);
			assert.equal(run.code, report.status === 'ok' ? 0 : 1, run.stderr);
			assert.match(report.server.version, /^\d+\.\d+/);
		} finally {
			simulator.kill('SIGTERM');
		}
	});

	test('samples prints a fixture page as NDJSON', async t => {
		if (!needsBuild(t)) {
			return;
		}

		const run = await runToEnd(hidden('samples', fixture), 30_000);
		assert.equal(run.code, 0, run.stderr);
		const samples = run.stdout
			.trim()
			.split('\n')
			.map(line => sample.parse(JSON.parse(line)));
		assert.ok(samples.length > 100);
		assert.ok(samples.some(({name}) => name === 'vllm:num_requests_running'));
	});

	test(
		'the full-screen view runs 10 s in tmux, q quits and the terminal is restored',
		{skip: tmuxMissing(), timeout: 90_000},
		async t => {
			if (!needsBuild(t)) {
				return;
			}

			const quote = (word: string) =>
				`'${word.replaceAll("'", String.raw`'\''`)}'`;
			const command = hidden('--demo', '-i', '1')
				.map(word => quote(word))
				.join(' ');
			const tmux = startTmux({
				command: String.raw`${command}; echo EXITED:$?; stty -a | grep -o -- '-icanon\|icanon' | sed 's/^/TTY:/'; sleep 30`,
				columns: 100,
				rows: 30,
				cwd: tmpdir(),
			});
			try {
				await tmux.waitFor(screen => /vLLM \d+\.\d+/.test(screen), 30_000);
				const started = Date.now();
				while (Date.now() - started < 10_000) {
					assert.ok(!tmux.capture().includes('EXITED:'), 'still running');
					await delay(500);
				}

				const screen = tmux.capture();
				assert.match(screen, /KV cache\s+[\d.]+%/);
				assert.equal(tmux.display('#{alternate_on}'), '1');
				tmux.sendKeys('q');
				const after = await tmux.waitFor(
					current => /TTY:-?icanon/.test(current),
					15_000,
				);
				assert.match(after, /^EXITED:0$/m);
				assert.match(after, /^TTY:icanon$/m);
				assert.equal(tmux.display('#{alternate_on}'), '0');
				assert.equal(tmux.display('#{cursor_flag}'), '1');
			} finally {
				tmux.kill();
			}
		},
	);
});
