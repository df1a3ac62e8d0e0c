import assert from 'node:assert/strict';
import {performance} from 'node:perf_hooks';
import {PassThrough} from 'node:stream';
import {setTimeout as delay} from 'node:timers/promises';
import {test} from 'node:test';
import {
	droppedDuringStop,
	profilerDisabledHint,
	traceWritten,
} from '../source/profiler/describe-profiler-failure.js';
import {profileExitCodes, runProfile} from '../source/modes/profile.js';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {startHttpServer} from './support/http-server.js';
import {cliMissing, startCli} from './support/run-cli.js';

type Captured = {
	readonly io: {
		stdout: PassThrough;
		stderr: PassThrough;
		signal: AbortSignal;
	};
	readonly controller: AbortController;
	stdout(): string;
	stderr(): string;
};

function capture(): Captured {
	const controller = new AbortController();
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const out: string[] = [];
	const error: string[] = [];
	stdout.on('data', (chunk: Uint8Array) => {
		out.push(String(chunk));
	});
	stderr.on('data', (chunk: Uint8Array) => {
		error.push(String(chunk));
	});
	return {
		io: {stdout, stderr, signal: controller.signal},
		controller,
		stdout: () => out.join(''),
		stderr: () => error.join(''),
	};
}

test('start, wait, a slow stop, then trace written and exit 0', async () => {
	const sim = await startSimulator({profiler: true, profilerStopMs: 300});
	const run = capture();
	try {
		const began = Date.now();
		// The /metrics URL works too: the profiler routes hang off its base.
		const code = await runProfile(
			{url: `${sim.url}/metrics`, durationMs: 200},
			run.io,
		);
		assert.equal(code, profileExitCodes.ok, run.stderr());
		assert.ok(Date.now() - began >= 450, 'waited for the capture and the stop');
		const lines = run.stdout().trim().split('\n');
		assert.match(lines[0]!, /^profiling http:\/\/127\.0\.0\.1:\d+ for 0\.2s/);
		assert.match(lines[1]!, /^writing trace… \(captured \d+\.\ds\)$/);
		assert.ok(lines[2]!.startsWith(traceWritten), lines[2]);
		assert.equal(run.stderr(), '');
		assert.equal(sim.profiler.starts, 1);
		assert.equal(sim.profiler.stops, 1);
		assert.equal(sim.profiler.active, false);
	} finally {
		await sim.stop();
	}
});

test('Ctrl-C during the capture stops early and still writes the trace', async () => {
	const sim = await startSimulator({profiler: true, profilerStopMs: 100});
	const run = capture();
	try {
		setTimeout(() => {
			run.controller.abort();
		}, 150);
		const began = Date.now();
		const code = await runProfile({url: sim.url, durationMs: 30_000}, run.io);
		assert.equal(code, profileExitCodes.ok, run.stderr());
		assert.ok(Date.now() - began < 5000, 'did not wait the full duration');
		assert.match(run.stdout(), /trace written/);
		assert.equal(sim.profiler.active, false);
		assert.equal(sim.profiler.stops, 1);
	} finally {
		await sim.stop();
	}
});

test('Ctrl-C while the trace is written stops waiting and says the server goes on', async () => {
	const sim = await startSimulator({profiler: true, profilerStopMs: 5000});
	const run = capture();
	try {
		setTimeout(() => {
			run.controller.abort();
		}, 300);
		const began = Date.now();
		const code = await runProfile({url: sim.url, durationMs: 100}, run.io);
		assert.equal(code, profileExitCodes.failed);
		assert.ok(Date.now() - began < 3000);
		assert.match(run.stdout(), /writing trace…/);
		assert.match(
			run.stderr(),
			/^vllm-top profile: stopped waiting: http:\/\/127\.0\.0\.1:\d+ has the stop and is still writing the trace/,
		);
	} finally {
		await sim.stop();
	}
});

test('profiling off (404): the enable hint on stderr, exit 3, nothing on stdout', async () => {
	const sim = await startSimulator({profiler: false});
	const run = capture();
	try {
		const code = await runProfile({url: sim.url, durationMs: 100}, run.io);
		assert.equal(code, profileExitCodes.notEnabled);
		assert.equal(run.stderr(), `vllm-top profile: ${profilerDisabledHint}\n`);
		assert.equal(run.stdout(), '');
	} finally {
		await sim.stop();
	}
});

test('a 500 on start: one line naming the failure, exit 1', async () => {
	const server = await startHttpServer((_request, response) => {
		response.writeHead(500, {'content-type': 'text/plain'});
		response.end('Internal Server Error\nTraceback ...');
	});
	const run = capture();
	try {
		const code = await runProfile({url: server.url, durationMs: 100}, run.io);
		assert.equal(code, profileExitCodes.failed);
		assert.match(
			run.stderr(),
			/^vllm-top profile: the server failed to start the profiler \(HTTP 500[^\n]*\n$/,
		);
	} finally {
		await server.close();
	}
});

test("a 500 on start shows the server's own message", async () => {
	const server = await startHttpServer((_request, response) => {
		response.writeHead(500, {'content-type': 'application/json'});
		response.end(JSON.stringify({detail: 'CUDA profiler already initialised'}));
	});
	const run = capture();
	try {
		const code = await runProfile({url: server.url, durationMs: 100}, run.io);
		assert.equal(code, profileExitCodes.failed);
		assert.match(run.stderr(), /CUDA profiler already initialised/);
	} finally {
		await server.close();
	}
});

test('a connection dropped during the stop: exit 1 with what to check', async () => {
	let stopRequests = 0;
	const server = await startHttpServer((request, response) => {
		if (request.url === '/start_profile') {
			response.writeHead(200, {'content-length': 0});
			response.end();
			return;
		}

		stopRequests++;
		setTimeout(() => {
			request.socket.destroy();
		}, 100);
	});
	const run = capture();
	try {
		const code = await runProfile({url: server.url, durationMs: 50}, run.io);
		assert.equal(code, profileExitCodes.failed);
		assert.equal(run.stderr(), `vllm-top profile: ${droppedDuringStop}\n`);
		assert.equal(stopRequests, 1, 'a POST is never retried');
	} finally {
		await server.close();
	}
});

test('connection refused and bad arguments', async () => {
	const server = await startHttpServer(() => {
		// Closed before use: only its port matters.
	});
	await server.close();
	const refused = capture();
	assert.equal(
		await runProfile({url: server.url, durationMs: 100}, refused.io),
		profileExitCodes.failed,
	);
	assert.match(refused.stderr(), /connection refused by http:\/\/127\.0\.0\.1/);

	const badUrl = capture();
	assert.equal(
		await runProfile({url: 'ftp://x', durationMs: 100}, badUrl.io),
		profileExitCodes.usage,
	);
	assert.match(badUrl.stderr(), /unsupported scheme 'ftp'/);

	const badDuration = capture();
	assert.equal(
		await runProfile({url: server.url, durationMs: 0}, badDuration.io),
		profileExitCodes.usage,
	);
	assert.match(badDuration.stderr(), /--duration must be a positive number/);
});

test(
	'Ctrl-C while /start_profile hangs: the CLI sends one stop and ends within a second',
	{skip: cliMissing},
	async () => {
		const posts: string[] = [];
		// Takes every request and never answers, as a server stuck in the start would.
		const server = await startHttpServer(request => {
			posts.push(`${request.method ?? ''} ${request.url ?? ''}`);
		});
		const cli = startCli(['profile', server.url, '--duration', '5']);
		try {
			const deadline = Date.now() + 20_000;
			while (!posts.includes('POST /start_profile') && Date.now() < deadline) {
				await delay(20);
			}

			assert.ok(posts.includes('POST /start_profile'), cli.describe());
			const interrupted = performance.now();
			const result = await cli.stop('SIGINT', {timeoutMs: 10_000});
			const took = performance.now() - interrupted;
			assert.ok(took < 1000, `ended ${Math.round(took)} ms after Ctrl-C`);
			assert.equal(result.code, profileExitCodes.failed, result.stderr);
			assert.ok(posts.includes('POST /stop_profile'), posts.join(', '));
			const lines = result.stderr.trimEnd().split('\n');
			assert.equal(lines.length, 1, result.stderr);
			assert.match(
				lines[0]!,
				/^vllm-top profile: cancelled before http:\/\/127\.0\.0\.1:\d+\/start_profile answered; .*curl -X POST http:\/\/127\.0\.0\.1:\d+\/stop_profile$/,
			);
		} finally {
			await cli.stop('SIGKILL').catch(() => undefined);
			await server.close();
		}
	},
);
