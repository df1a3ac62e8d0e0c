/*
What the single executable costs against `node dist/cli.js`, both measured in this run: file size, start to the first
frame of the full-screen view, average CPU while it watches a simulator at -i 5, and RSS. `npm run dist` builds the
executable first; BENCH_SECONDS sets the idle period (default 60). BENCH_EXECUTABLES (colon-separated paths) measures
other executables instead of dist-bin/vllm-top-linux-<arch>, e.g. to compare ways of building one.
*/
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {startSimulator} from '../source/simulator/simulator-server.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const runs = 5;

type Program = {
	readonly name: string;
	/** The file a user copies (the executable, or node itself for the npm package). */
	readonly file: string;
	readonly command: readonly string[];
};

function median(values: readonly number[]): number {
	const sorted = values.toSorted((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function quote(word: string): string {
	return `'${word.replaceAll("'", String.raw`'\''`)}'`;
}

/** `command` in a 100x30 pseudo-terminal (util-linux `script`), in a process group of its own. */
function spawnInTerminal(command: readonly string[]): ChildProcess {
	const line = `stty cols 100 rows 30; exec ${command.map(word => quote(word)).join(' ')}`;
	return spawn('script', ['-qfec', line, '/dev/null'], {
		cwd: root,
		detached: true,
		env: {...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8'},
		stdio: ['pipe', 'pipe', 'ignore'],
	});
}

function stopGroup(child: ChildProcess): void {
	try {
		process.kill(-child.pid!, 'SIGKILL');
	} catch {
		// Already gone.
	}
}

/** The program `script` runs (its shell execs it, so it is script's only child). */
async function programPid(terminal: ChildProcess): Promise<number> {
	for (let attempt = 0; attempt < 100; attempt++) {
		const found = spawnSync('pgrep', ['-P', String(terminal.pid)], {
			encoding: 'utf8',
		}).stdout.trim();
		const pid = Number.parseInt(found, 10);
		if (
			pid > 0 &&
			!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('sh')
		) {
			return pid;
		}

		await delay(100);
	}

	throw new Error('the program did not start under script');
}

/** Wall ms from spawn until `marker` shows in what the program draws. */
async function msToMarker(
	command: readonly string[],
	marker: string,
): Promise<number> {
	const started = performance.now();
	const child = spawnInTerminal(command);
	try {
		return await new Promise<number>((resolve, reject) => {
			let seen = '';
			const timer = setTimeout(() => {
				reject(new Error(`${marker} not drawn within 60 s`));
			}, 60_000);
			child.stdout!.setEncoding('utf8');
			child.stdout!.on('data', (chunk: string) => {
				seen += chunk;
				if (seen.includes(marker)) {
					clearTimeout(timer);
					resolve(performance.now() - started);
				}
			});
		});
	} finally {
		stopGroup(child);
	}
}

/** CPU seconds a process has used, from /proc (utime + stime, in clock ticks of 100 Hz). */
function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory, and the part of it that is the process's own (RssAnon): the rest is mapped files, shared and reclaimable. */
function rssMb(pid: number): {readonly all: number; readonly own: number} {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = (name: string) =>
		Number(new RegExp(String.raw`${name}:\s+(\d+)`).exec(status)?.[1]) / 1024;
	return {all: field('VmRSS'), own: field('RssAnon')};
}

function megabytes(file: string): string {
	return `${(statSync(file).size / 1024 / 1024).toFixed(0)} MB`;
}

function executables(): Program[] {
	const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
	const paths = process.env['BENCH_EXECUTABLES']?.split(':') ?? [
		path.join(root, 'dist-bin', `vllm-top-linux-${arch}`),
	];
	return paths.map(file => ({
		name: path.basename(file),
		file,
		command: [file],
	}));
}

type Figures = {
	readonly frameMs: number;
	readonly cpuPercent: number;
	readonly rssStart: ReturnType<typeof rssMb>;
	readonly rssEnd: ReturnType<typeof rssMb>;
};

/** Start-up runs interleaved (each program once per round), so a busy moment of the machine hits all alike. */
async function startUp(
	programs: readonly Program[],
	url: string,
): Promise<number[]> {
	const times: number[][] = programs.map(() => []);
	for (const program of programs) {
		await msToMarker([...program.command, url], 'vLLM '); // Warm the page cache.
	}

	for (let run = 0; run < runs; run++) {
		for (const [index, program] of programs.entries()) {
			times[index]!.push(await msToMarker([...program.command, url], 'vLLM '));
		}
	}

	return times.map(values => median(values));
}

/** Every program watching the simulator at -i 5 at the same time, for `seconds` after a 5 s settling. */
async function idle(
	programs: readonly Program[],
	url: string,
	seconds: number,
): Promise<Array<Omit<Figures, 'frameMs'>>> {
	const views = programs.map(program =>
		spawnInTerminal([...program.command, '-i', '5', url]),
	);
	try {
		for (const view of views) {
			view.stdout!.resume();
		}

		const pids = await Promise.all(views.map(async view => programPid(view)));
		await delay(5000);
		const rssStart = pids.map(pid => rssMb(pid));
		const cpuStart = pids.map(pid => cpuSeconds(pid));
		await delay(seconds * 1000);
		return pids.map((pid, index) => ({
			cpuPercent: ((cpuSeconds(pid) - cpuStart[index]!) / seconds) * 100,
			rssStart: rssStart[index]!,
			rssEnd: rssMb(pid),
		}));
	} finally {
		for (const view of views) {
			stopGroup(view);
		}
	}
}

export async function runBinaryBench(): Promise<string[]> {
	const built = executables();
	const missing = built.find(program => !existsSync(program.file));
	if (missing !== undefined) {
		return [`skipped: ${missing.file} missing: run npm run dist first`];
	}

	const seconds = Number(process.env['BENCH_SECONDS'] ?? 60);
	const programs: Program[] = [
		{
			name: 'node dist/cli.js',
			file: process.execPath,
			command: [process.execPath, cli],
		},
		...built,
	];
	// The simulator serves from this process, which is not measured.
	const simulator = await startSimulator({scenario: 'steady', seed: 1});
	try {
		const frames = await startUp(programs, simulator.url);
		const figures = await idle(programs, simulator.url, seconds);
		const base = {frameMs: frames[0]!, ...figures[0]!};
		return programs.map((program, index) => {
			const frameMs = frames[index]!;
			const {cpuPercent, rssStart, rssEnd} = figures[index]!;
			const ratio =
				index === 0
					? ''
					: ` (${(frameMs / base.frameMs).toFixed(2)}x node dist/cli.js; target <= 1.5x)`;
			return `${program.name}: file ${megabytes(program.file)}${index === 0 ? ' (node itself, plus dist/ and node_modules/)' : ''}, start to first frame ${frameMs.toFixed(0)} ms${ratio}, CPU at -i 5 over ${seconds} s ${cpuPercent.toFixed(2)} % of one core, RSS ${rssStart.all.toFixed(0)} MB after start (${rssStart.own.toFixed(0)} MB its own, the rest mapped files: the program and its libraries), ${rssEnd.all.toFixed(0)} MB at the end (${rssEnd.own.toFixed(0)} MB own)`;
		});
	} finally {
		await simulator.stop();
	}
}

if (process.argv[1] === import.meta.filename) {
	for (const line of await runBinaryBench()) {
		console.log(line);
	}
}
