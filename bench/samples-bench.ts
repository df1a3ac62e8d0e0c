/*
`vllm-top samples` on a 10.7 MB vLLM-shaped page, end to end as a user runs it (`node dist/cli.js samples FILE`, its
NDJSON read from a pipe), beside the same dump written the plain way on parse-prometheus-text-format
(bench/ppt-ndjson-dump.js), the two interleaved so a busy machine slows both alike. Wall time and the child's CPU time
(user + system, as the kernel counts a waited-for child) are both given: on a shared machine the CPU figure moves
less. The in-process line is parse and serialise alone, without node's start-up, reading the file or the pipe.
*/
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {samplesOfBytes} from '../source/modes/samples.js';
import {generateVllmPage, parsePrometheusTextFormat} from './parse-bench.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const baselineScript = path.join(root, 'bench', 'ppt-ndjson-dump.js');
const targetBytes = 10.7e6;
const rounds = 5;

type Run = {
	readonly wallMs: number;
	readonly cpuMs: number;
	readonly bytes: number;
};

function median(values: readonly number[]): number {
	const sorted = values.toSorted((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** CPU ms of this process's waited-for children so far: cutime + cstime of /proc/self/stat, at 100 ticks a second. */
function childrenCpuMs(): number {
	const stat = readFileSync('/proc/self/stat', 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Wall and CPU time of `node ARGS`, its stdout drained from a pipe. */
async function timeRun(arguments_: readonly string[]): Promise<Run> {
	const cpuBefore = childrenCpuMs();
	const started = performance.now();
	const child = spawn(process.execPath, arguments_, {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let bytes = 0;
	child.stdout.on('data', (chunk: Buffer) => {
		bytes += chunk.length;
	});
	await new Promise<void>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', code => {
			if (code === 0) {
				resolve();
			} else {
				reject(new Error(`${arguments_.join(' ')} exited with ${code}`));
			}
		});
	});
	return {
		wallMs: performance.now() - started,
		cpuMs: childrenCpuMs() - cpuBefore,
		bytes,
	};
}

/** Bytes of NDJSON from our writer, on the page's bytes as `samples` reads them. */
function ourDump(page: Buffer): number {
	const result = samplesOfBytes(page, 'text');
	if (!result.ok) {
		throw new Error(result.output);
	}

	let bytes = 0;
	for (const chunk of result.chunks) {
		bytes += chunk.length;
	}

	return bytes;
}

/** Characters of the baseline's NDJSON: parse-prometheus-text-format, one JSON.stringify per metric. */
function baselineDump(text: string): number {
	let chars = 0;
	// Its families are plain objects with a `metrics` list (the package ships no types).
	for (const family of parsePrometheusTextFormat(text)) {
		const metrics =
			typeof family === 'object' && family !== null && 'metrics' in family
				? family.metrics
				: [];
		const name = JSON.stringify(
			typeof family === 'object' && family !== null && 'name' in family
				? family.name
				: '',
		);
		for (const metric of Array.isArray(metrics) ? metrics : []) {
			chars += name.length + JSON.stringify(metric).length + 1;
		}
	}

	return chars;
}

/** Milliseconds of each, in alternating runs after one warm-up each: medians of `repeat`. */
function inProcess(text: string, repeat = 5): {ours: number; theirs: number} {
	const bytes = Buffer.from(text);
	ourDump(bytes);
	baselineDump(text);
	const ours: number[] = [];
	const theirs: number[] = [];
	for (let run = 0; run < repeat; run++) {
		let started = performance.now();
		ourDump(bytes);
		ours.push(performance.now() - started);
		started = performance.now();
		baselineDump(text);
		theirs.push(performance.now() - started);
	}

	return {ours: median(ours), theirs: median(theirs)};
}

export async function runSamplesBench(): Promise<string[]> {
	const small = generateVllmPage(10).length;
	const perSeries = (generateVllmPage(20).length - small) / 10;
	const page = generateVllmPage(
		Math.max(1, Math.round(10 + (targetBytes - small) / perSeries)),
	);
	const directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-samples-'));
	const file = path.join(directory, 'metrics.txt');
	await writeFile(file, page);
	try {
		const ours: Run[] = [];
		const theirs: Run[] = [];
		// One untimed run each fills the page cache.
		await timeRun([cli, 'samples', file]);
		await timeRun([baselineScript, file]);
		for (let round = 0; round < rounds; round++) {
			ours.push(await timeRun([cli, 'samples', file]));
			theirs.push(await timeRun([baselineScript, file]));
		}

		const megabytes = Buffer.byteLength(page) / 1e6;
		const wall = median(ours.map(run => run.wallMs));
		const baseWall = median(theirs.map(run => run.wallMs));
		const cpu = median(ours.map(run => run.cpuMs));
		const baseCpu = median(theirs.map(run => run.cpuMs));
		const memory = inProcess(page);
		const rate = megabytes / (memory.ours / 1000);
		return [
			`samples on a ${megabytes.toFixed(1)} MB page (${(ours[0]!.bytes / 1e6).toFixed(1)} MB of NDJSON, read from a pipe), median of ${rounds}:`,
			`  end to end: ${wall.toFixed(0)} ms wall (${(megabytes / (wall / 1000)).toFixed(0)} MB/s of input), ${cpu.toFixed(0)} ms CPU; parse-prometheus-text-format dump ${baseWall.toFixed(0)} ms wall, ${baseCpu.toFixed(0)} ms CPU; ratio ${(baseWall / wall).toFixed(2)}x wall, ${(baseCpu / cpu).toFixed(2)}x CPU (target >= 4x, >= 100 MB/s)`,
			`  in process (parse + serialise, warm, no start-up or I/O): ${memory.ours.toFixed(0)} ms, ${rate.toFixed(0)} MB/s of input; parse-prometheus-text-format + JSON.stringify ${memory.theirs.toFixed(0)} ms; ratio ${(memory.theirs / memory.ours).toFixed(2)}x`,
		];
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
}

if (process.argv[1] === import.meta.filename) {
	for (const line of await runSamplesBench()) {
		console.log(line);
	}
}
