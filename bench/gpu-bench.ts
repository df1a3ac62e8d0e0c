/*
What GPU polling costs the monitor: `nvidia-smi` polls through the shipped fake tool (its process list every 12th poll
included), this process's CPU only, as a share of one core at `-i 5`, beside a baseline from the same run: the
monitor's work on one vLLM /metrics page per interval (parse, derive, alerts), from a page the simulator rendered.
The tool's own CPU is left out: it is the tool's, and the fake is a Node script, far heavier than nvidia-smi.
Run alone with `node --import tsx bench/gpu-bench.ts`.
*/
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {ingestScrape} from '../source/pipeline/ingest-scrape.js';
import {initialTargetState} from '../source/pipeline/target-reducer.js';
import {nvidiaSmiReader} from '../source/scrape/gpu-readers.js';
import {startSimulator} from '../source/simulator/simulator-server.js';

const intervalMs = 5000;
const polls = 36;
const limit = 0.002;
const fakeTool = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'test',
	'support',
	'fake-nvidia-smi',
	'nvidia-smi',
);

function cpuMs(): number {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
}

function share(msPerInterval: number): string {
	return `${((msPerInterval / intervalMs) * 100).toFixed(3)} % of a core`;
}

async function gpuPollMs(): Promise<number> {
	const read = nvidiaSmiReader(fakeTool, 10_000);
	await read();
	const start = cpuMs();
	for (let index = 0; index < polls; index++) {
		// One poll at a time, as the watcher does.

		const outcome = await read();
		if (!outcome.ok) {
			throw new Error(outcome.error);
		}
	}

	return (cpuMs() - start) / polls;
}

async function scrapeIngestMs(): Promise<number> {
	const simulator = await startSimulator({timeScale: 0, seed: 7, gpus: 2});
	const pages: string[] = [];
	for (let index = 0; index < polls; index++) {
		simulator.advance(intervalMs / 1000);
		const response = await fetch(`${simulator.url}/metrics`);
		pages.push(await response.text());
	}

	await simulator.stop();
	let state = initialTargetState('bench', 'http://bench/metrics');
	const start = cpuMs();
	for (const [index, body] of pages.entries()) {
		state = ingestScrape(
			state,
			{
				ok: true,
				url: 'http://bench/metrics',
				status: 200,
				body,
				contentType: 'text/plain; version=0.0.4',
				at: Date.UTC(2025, 0, 1) + index * intervalMs,
				durationMs: 5,
			},
			{windowSeconds: 60, alertConfig: defaultAlertConfig},
		);
	}

	return (cpuMs() - start) / polls;
}

export async function runGpuBench(): Promise<string[]> {
	const gpu = await gpuPollMs();
	const baseline = await scrapeIngestMs();
	const gpuShare = gpu / intervalMs;
	return [
		`nvidia-smi poll (fake tool, ${polls} polls): ${gpu.toFixed(2)} ms CPU each = ${share(gpu)} at -i 5 (limit ${(limit * 100).toFixed(1)} %): ${gpuShare <= limit ? 'within' : 'OVER'}`,
		`baseline, one /metrics page parsed, derived and judged: ${baseline.toFixed(2)} ms CPU each = ${share(baseline)} at -i 5`,
		`GPU polling costs ${(gpu / baseline).toFixed(2)}x the baseline`,
	];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const line of await runGpuBench()) {
		console.log(line);
	}
}
