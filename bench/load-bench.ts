/*
What the load generator costs itself, so that it does not distort what it measures: CPU per request and per streamed
chunk against a fast fake server in a child process, beside a bare undici client reading the same streams (the
baseline, measured in the same run); and how close requests leave to their schedule at 200 req/s, beside a bare timer
loop on the same machine.
*/
import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import process from 'node:process';
import {Agent, request} from 'undici';
import {arrivalOffsets} from '../source/bench/arrival-schedule.js';
import type {BenchPrompt} from '../source/bench/bench-request.js';
import {LoadRun} from '../source/bench/load-runner.js';
import {sendRequest} from '../source/bench/send-request.js';
import {percentileSorted, sortedCopy} from '../source/bench/stats.js';

/** Answers every completion at once with `?chunks=N` SSE events and usage, like a server with infinite speed. */
const serverSource = `
import http from 'node:http';
const LF = String.fromCharCode(10);
const chunk = 'data: ' + JSON.stringify({id: 'cmpl-1', object: 'text_completion', created: 1, model: 'm', choices: [{index: 0, text: ' token', logprobs: null, finish_reason: null}], usage: null}) + LF + LF;
const server = http.createServer((q, r) => {
	q.resume();
	q.on('end', () => {
		const chunks = Number(new URL(q.url, 'http://x').searchParams.get('chunks') ?? 1);
		r.writeHead(200, {'content-type': 'text/event-stream'});
		r.end(chunk.repeat(chunks) + 'data: ' + JSON.stringify({choices: [], usage: {prompt_tokens: 8, completion_tokens: chunks, total_tokens: 8 + chunks}}) + LF + LF + 'data: [DONE]' + LF + LF);
	});
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startServer(): Promise<{url: string; child: ChildProcess}> {
	const child = spawn(
		process.execPath,
		['--input-type=module', '-e', serverSource],
		{stdio: ['ignore', 'pipe', 'inherit']},
	);
	const portLine: unknown[] = await once(child.stdout, 'data');
	return {url: `http://127.0.0.1:${String(portLine[0]).trim()}`, child};
}

const prompt: BenchPrompt = {
	prompt: [1, 2, 3, 4, 5, 6, 7, 8],
	promptTokens: 8,
	outputTokens: 1,
};
const body = JSON.stringify({
	model: 'm',
	prompt: prompt.prompt,
	max_tokens: 1,
	stream: true,
});

function cpuMicros(): number {
	const usage = process.cpuUsage();
	return usage.user + usage.system;
}

/** CPU µs per request of `send`, run `count` times, 16 at a time. */
async function cpuPerRequest(
	count: number,
	send: () => Promise<unknown>,
): Promise<number> {
	const start = cpuMicros();
	let next = 0;
	const worker = async () => {
		while (next < count) {
			next++;
			await send();
		}
	};

	await Promise.all(Array.from({length: 16}, worker));
	return (cpuMicros() - start) / count;
}

async function costs(url: string, dispatcher: Agent): Promise<string[]> {
	const baseline = async (chunks: number) => {
		const response = await request(`${url}/v1/completions?chunks=${chunks}`, {
			method: 'POST',
			body,
			dispatcher,
		});
		for await (const _ of response.body) {
			// Read and drop: the cost of HTTP and streaming alone.
		}
	};

	const generator = async (chunks: number) =>
		sendRequest(
			{
				url: `${url}/v1/completions?chunks=${chunks}`,
				headers: {},
				dispatcher,
				timeoutMs: 10_000,
				signal: new AbortController().signal,
				runStartMs: 0,
			},
			prompt,
			body,
		);
	const lines: string[] = [];
	for (const [label, chunks, count] of [
		['1 chunk', 1, 3000],
		['200 chunks', 200, 400],
	] as const) {
		// Warm both up first, so neither pays for the optimizing compiler in the measurement.
		await cpuPerRequest(200, async () => baseline(chunks));
		await cpuPerRequest(200, async () => generator(chunks));
		const bare = await cpuPerRequest(count, async () => baseline(chunks));
		const ours = await cpuPerRequest(count, async () => generator(chunks));
		lines.push(
			`  request with ${label.padEnd(10)} bare undici ${bare.toFixed(0).padStart(5)} µs CPU, generator ${ours.toFixed(0).padStart(5)} µs (${(ours / bare).toFixed(2)}x; budget 200 µs a request)`,
		);
		if (chunks > 1) {
			const perChunk =
				(ours - Number(/generator\s+(\d+)/.exec(lines[0]!)![1])) / (chunks - 1);
			lines.push(
				`  per streamed chunk: ${perChunk.toFixed(1)} µs CPU (budget 20 µs)`,
			);
		}
	}

	return lines;
}

/** Lateness of sends against the schedule at `rate`, for `count` requests; the bare loop only sleeps. */
async function lateness(
	url: string,
	dispatcher: Agent,
	rate: number,
	count: number,
): Promise<string[]> {
	const schedule = arrivalOffsets(count, rate, 1, 5).map(
		seconds => seconds * 1000,
	);
	const summary = (late: number[]) => {
		const sorted = sortedCopy(late);
		return `p50 ${percentileSorted(sorted, 50).toFixed(2)} ms, p99 ${percentileSorted(sorted, 99).toFixed(2)} ms`;
	};

	const bare: number[] = [];
	const start = performance.now();
	for (const due of schedule) {
		const wait = start + due - performance.now();
		if (wait > 0) {
			await new Promise(resolve => {
				setTimeout(resolve, wait);
			});
		}

		bare.push(performance.now() - start - due);
	}

	const sent: number[] = [];
	const run = new LoadRun({
		prompts: [prompt],
		total: count,
		durationS: undefined,
		rate,
		burstiness: 1,
		seed: 5,
		maxConcurrency: undefined,
		stop: new AbortController().signal,
		drainTimeoutMs: 0,
		async send(item, signal, runStartMs) {
			sent.push(performance.now() - runStartMs);
			return sendRequest(
				{
					url: `${url}/v1/completions?chunks=20`,
					headers: {},
					dispatcher,
					timeoutMs: 10_000,
					signal,
					runStartMs,
				},
				item,
				body,
			);
		},
	});
	await run.run();
	const late = sent.map((at, index) => at - schedule[index]!);
	return [
		`  send time vs schedule at ${rate} req/s, ${count} requests: generator ${summary(late)}; bare timer loop ${summary(bare)}`,
	];
}

export async function runLoadBench(): Promise<string[]> {
	const server = await startServer();
	const dispatcher = new Agent({keepAliveTimeout: 30_000});
	try {
		return [
			...(await costs(server.url, dispatcher)),
			...(await lateness(server.url, dispatcher, 200, 1000)),
		];
	} finally {
		await dispatcher.close();
		server.child.kill();
	}
}
