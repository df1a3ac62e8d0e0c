/*
Start-up of a targets file: `node dist/cli.js --targets FILE --plain` from launch until every target has been
scraped once (one plain line each), and its RSS then and at its peak (VmHWM), read from /proc. The same for a file of
one target is the baseline.
*/
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';

const cli = path.resolve(import.meta.dirname, '..', 'dist', 'cli.js');

export type StartupRun = {
	readonly targets: number;
	/** Launch to the last target's first line; NaN when it never came. */
	readonly ms: number;
	readonly rssMiB: number;
	readonly peakRssMiB: number;
	/** CPU time the monitor used until then (user + system), so a busy machine's share can be told apart. */
	readonly cpuMs: number;
};

function memoryOf(pid: number): {rss: number; peak: number} {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kib = (field: string) =>
		Number(
			new RegExp(String.raw`${field}:\s+(\d+)`).exec(status)?.[1] ?? Number.NaN,
		);
	return {rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024};
}

/** User plus system CPU of a process in ms, from /proc (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The fields after the command name, which is in parentheses and may hold spaces.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function measureStartup(
	ports: readonly number[],
	timeoutMs = 30_000,
): Promise<StartupRun> {
	const directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-startup-'));
	const file = path.join(directory, 'targets.yaml');
	await writeFile(
		file,
		[
			'targets:',
			...ports.map(
				(port, index) => `  - name: t${index}\n    url: 127.0.0.1:${port}`,
			),
		].join('\n') + '\n',
	);
	const started = performance.now();
	const child = spawn(
		process.execPath,
		// BENCH_NODE_ARGS, e.g. `--cpu-prof`, to see where the start-up goes.
		[
			...(process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
			cli,
			'--targets',
			file,
			'--plain',
			'-i',
			'5',
		],
		{stdio: ['ignore', 'pipe', 'ignore']},
	);
	try {
		const ms = await new Promise<number>(resolve => {
			let lines = 0;
			const timer = setTimeout(() => {
				resolve(Number.NaN);
			}, timeoutMs);
			child.stdout.on('data', (chunk: Buffer) => {
				for (const byte of chunk) {
					if (byte === 10) {
						lines++;
					}
				}

				if (lines >= ports.length) {
					clearTimeout(timer);
					resolve(performance.now() - started);
				}
			});
		});
		const memory = memoryOf(child.pid!);
		return {
			targets: ports.length,
			ms,
			cpuMs: cpuMsOf(child.pid!),
			rssMiB: memory.rss,
			peakRssMiB: memory.peak,
		};
	} finally {
		// SIGTERM ends the monitor cleanly (and writes a --cpu-prof profile when NODE_OPTIONS asks for one).
		const exited = new Promise(resolve => {
			child.once('exit', resolve);
		});
		child.kill('SIGTERM');
		const force = setTimeout(() => {
			child.kill('SIGKILL');
		}, 5000);
		await exited;
		clearTimeout(force);
		await rm(directory, {recursive: true, force: true});
	}
}

export function describeStartup(run: StartupRun, baseline: StartupRun): string {
	return `  start-up of a ${run.targets}-target file (launch until every target scraped once, --plain): ${run.ms.toFixed(0)} ms (${run.cpuMs.toFixed(0)} ms of CPU), RSS ${run.rssMiB.toFixed(0)} MiB (peak ${run.peakRssMiB.toFixed(0)} MiB); ${baseline.targets}-target file ${baseline.ms.toFixed(0)} ms (${baseline.cpuMs.toFixed(0)} ms of CPU), RSS ${baseline.rssMiB.toFixed(0)} MiB; target <= 2 s and <= 250 MB -> ${run.ms <= 2000 && run.peakRssMiB * 1.048_576 <= 250 ? 'met' : 'NOT MET'}`;
}
