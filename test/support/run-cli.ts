/**
Runs the built CLI (`node dist/cli.js`) as a child process, the way a user or a script does: real pipes (so stdout
is not a TTY), real signals, real exit codes. Every run has a hard deadline that kills the child, so a hung mode fails
its test instead of holding the suite open.
*/
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {z} from 'zod';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const cliPath = path.join(repoRoot, 'dist', 'cli.js');

/** Reason to skip CLI tests when the build is missing (the test script builds first). */
export const cliMissing: string | undefined = existsSync(cliPath)
	? undefined
	: 'dist/cli.js missing: run npx tsc -p tsconfig.build.json first';

export type CliResult = {
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
};

export type CliRunOptions = {
	/** Added to a cleaned copy of this process's environment. */
	readonly env?: Readonly<Record<string, string>>;
	/** Written to standard input, which is then closed; without it standard input is closed at once. */
	readonly input?: string | Uint8Array;
	/**
	Hard deadline: the child is killed with SIGKILL and the run rejects. Default 60 s: it catches a hang, not a slow
	start, and while other test files build executables and start Prometheus a start has taken over 15 s.
	*/
	readonly timeoutMs?: number;
};

/** Variables the CLI reads that a developer's shell may have set; removed so tests see the defaults. */
const cliVariables = new Set([
	'VLLM_TOP_URL',
	'VLLM_API_KEY',
	'VLLM_TOP_PROMETHEUS_TOKEN',
	'VLLM_TOP_PROMETHEUS_PASSWORD',
	'NO_COLOR',
	'FORCE_COLOR',
]);

function childEnvironment(
	extra: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
	const inherited = Object.entries(process.env).filter(
		([name]) => !cliVariables.has(name),
	);
	return {...Object.fromEntries(inherited), ...extra};
}

function spawnCli(
	args: readonly string[],
	options: CliRunOptions,
): ChildProcessWithoutNullStreams {
	const child = spawn(process.execPath, [cliPath, ...args], {
		cwd: repoRoot,
		env: childEnvironment(options.env),
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	// A child that exits before reading its input must not turn into an EPIPE error here.
	child.stdin.on('error', () => undefined);
	child.stdin.end(options.input);
	return child;
}

function describeRun(
	args: readonly string[],
	stdout: string,
	stderr: string,
): string {
	return `vllm-top ${args.join(' ')}\n--- stdout ---\n${stdout.slice(-2000)}\n--- stderr ---\n${stderr.slice(-2000)}`;
}

/** Runs the CLI to its end and collects its output. */
export async function runCli(
	args: readonly string[],
	options: CliRunOptions = {},
): Promise<CliResult> {
	const child = spawnCli(args, options);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.on('data', (chunk: string) => {
		stderr += chunk;
	});
	const timeoutMs = options.timeoutMs ?? 60_000;
	return new Promise<CliResult>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(
				new Error(
					`timed out after ${timeoutMs} ms: ${describeRun(args, stdout, stderr)}`,
				),
			);
		}, timeoutMs);
		child.once('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr});
		});
	});
}

export type RunningCli = {
	readonly child: ChildProcessWithoutNullStreams;
	/** Complete stdout lines so far. */
	lines(): readonly string[];
	/** Resolves with the first complete stdout line (from `from` on) that matches; rejects after `timeoutMs` or on exit. */
	waitForLine(
		match: (line: string) => boolean,
		options?: {readonly timeoutMs?: number; readonly from?: number},
	): Promise<string>;
	/** Sends the signal and waits for the exit; SIGKILL if it does not end within `timeoutMs` (and then rejects). */
	stop(
		signal?: NodeJS.Signals,
		options?: {readonly timeoutMs?: number},
	): Promise<CliResult>;
	/** Output so far, for failure messages. */
	describe(): string;
};

/** Starts a long-running mode; the caller must `stop()` it (in a finally). A hard deadline kills it regardless. */
export function startCli(
	args: readonly string[],
	options: CliRunOptions = {},
): RunningCli {
	const child = spawnCli(args, options);
	let stdout = '';
	let stderr = '';
	const complete: string[] = [];
	let partial = '';
	const listeners = new Set<() => void>();
	const notify = () => {
		for (const listener of listeners) {
			listener();
		}
	};

	child.stdout.on('data', (chunk: string) => {
		stdout += chunk;
		const parts = (partial + chunk).split('\n');
		partial = parts.pop() ?? '';
		complete.push(...parts);
		notify();
	});
	child.stderr.on('data', (chunk: string) => {
		stderr += chunk;
	});
	let exit: {code: number | null; signal: NodeJS.Signals | null} | undefined;
	const exited = new Promise<void>(resolve => {
		child.once('close', (code, signal) => {
			exit = {code, signal};
			notify();
			resolve();
		});
	});
	const hardDeadline = setTimeout(() => {
		child.kill('SIGKILL');
	}, options.timeoutMs ?? 60_000);
	const describe = () => describeRun(args, stdout, stderr);

	return {
		child,
		lines: () => complete,
		describe,
		async waitForLine(match, {timeoutMs = 10_000, from = 0} = {}) {
			return new Promise<string>((resolve, reject) => {
				const check = () => {
					const found = complete.slice(from).find(line => match(line));
					if (found !== undefined) {
						done();
						resolve(found);
					} else if (exit !== undefined) {
						done();
						reject(
							new Error(
								`exited (${exit.code ?? exit.signal}) before the line: ${describe()}`,
							),
						);
					}
				};

				const timer = setTimeout(() => {
					done();
					reject(
						new Error(`no such line within ${timeoutMs} ms: ${describe()}`),
					);
				}, timeoutMs);
				const done = () => {
					clearTimeout(timer);
					listeners.delete(check);
				};

				listeners.add(check);
				check();
			});
		},
		async stop(signal = 'SIGINT', {timeoutMs = 10_000} = {}) {
			if (exit === undefined) {
				child.kill(signal);
			}

			const timer = setTimeout(() => {
				child.kill('SIGKILL');
			}, timeoutMs);
			await exited;
			clearTimeout(timer);
			clearTimeout(hardDeadline);
			if (exit?.signal === 'SIGKILL' && signal !== 'SIGKILL') {
				throw new Error(
					`did not end within ${timeoutMs} ms of ${signal}: ${describe()}`,
				);
			}

			return {
				code: exit?.code ?? null,
				signal: exit?.signal ?? null,
				stdout,
				stderr,
			};
		},
	};
}

/** Parses NDJSON output, failing with the offending line. */
export function parseJsonLines(text: string): unknown[] {
	return text
		.split('\n')
		.filter(line => line.trim() !== '')
		.map(line => {
			try {
				return JSON.parse(line) as unknown;
			} catch {
				throw new Error(`not a JSON line: ${line.slice(0, 300)}`);
			}
		});
}

const alertSchema = z.looseObject({
	id: z.string(),
	severity: z.string(),
	state: z.string(),
});

/** The parts of a snapshot document (schema 1) the CLI tests read; everything else passes through. */
export const snapshotSchema = z.looseObject({
	schema: z.literal(1),
	target: z.string(),
	at: z.string(),
	status: z.string(),
	server: z.looseObject({
		generation: z.string().nullable(),
		version: z.string().nullable(),
	}),
	signals: z.record(z.string(), z.unknown()),
	alerts: z.array(alertSchema),
});

export type SnapshotDocument = z.infer<typeof snapshotSchema>;

/** What `--once --json` prints for more than one target. */
export const fleetSchema = z.looseObject({
	schema: z.literal(1),
	status: z.string(),
	targets: z.array(snapshotSchema),
});

/** One snapshot document, checked against the schema so a wrong shape fails with the path that is wrong. */
export function parseSnapshot(text: string): SnapshotDocument {
	return snapshotSchema.parse(JSON.parse(text));
}

export function parseFleet(text: string): z.infer<typeof fleetSchema> {
	return fleetSchema.parse(JSON.parse(text));
}
