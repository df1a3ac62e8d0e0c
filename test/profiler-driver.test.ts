import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	droppedDuringStop,
	profilerDisabledHint,
	restartedDuringCapture,
	traceWritten,
} from '../source/profiler/describe-profiler-failure.js';
import {
	createProfilerDriver,
	type ProfilerDriver,
} from '../source/profiler/profiler-driver.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {startSimulator} from '../source/simulator/simulator-server.js';
import type {ProfilerView} from '../source/store/monitor-state.js';
import {startHttpServer} from './support/http-server.js';

type Harness = {
	readonly driver: ProfilerDriver;
	readonly views: ProfilerView[];
	until(
		check: (view: ProfilerView) => boolean,
		timeoutMs?: number,
	): Promise<ProfilerView>;
	close(): Promise<void>;
};

function harness(baseUrl: string, durationMs?: number): Harness {
	const client = createScrapeClient();
	const views: ProfilerView[] = [];
	const driver = createProfilerDriver({
		client,
		baseUrl,
		...(durationMs === undefined ? {} : {durationMs}),
		onChange(view) {
			views.push(view);
		},
	});
	return {
		driver,
		views,
		async until(check, timeoutMs = 3000) {
			const started = Date.now();
			while (!check(driver.view())) {
				if (Date.now() - started > timeoutMs) {
					throw new Error(
						`profiler view not reached in ${timeoutMs} ms; last: ${JSON.stringify(driver.view())}`,
					);
				}

				await new Promise(resolve => {
					setTimeout(resolve, 5);
				});
			}

			return driver.view();
		},
		async close() {
			driver.dispose();
			await client.close();
		},
	};
}

test('p, y, p against the simulator: start, run, a slow stop shown as writing, then trace written', async () => {
	const sim = await startSimulator({profiler: true, profilerStopMs: 300});
	const h = harness(sim.url);
	try {
		h.driver.key('p');
		assert.equal(h.driver.view().phase, 'confirm');
		assert.equal(sim.profiler.starts, 0, 'asking sends nothing');
		h.driver.key('y');
		const running = await h.until(view => view.phase === 'running');
		assert.equal(sim.profiler.active, true);
		assert.ok(running.startedAt !== null);
		assert.equal(h.driver.busy(), true);

		const stopAsked = Date.now();
		h.driver.key('p');
		assert.equal(h.driver.view().phase, 'stopping');
		assert.ok((h.driver.view().stoppingSince ?? 0) >= stopAsked);
		const done = await h.until(view => view.phase === 'done');
		assert.ok(Date.now() - stopAsked >= 250, 'waited for the slow stop');
		assert.equal(done.detail, traceWritten);
		assert.equal(sim.profiler.active, false);
		assert.equal(sim.profiler.stops, 1);
		assert.deepEqual(
			h.views.map(view => view.phase),
			['confirm', 'starting', 'running', 'stopping', 'done'],
		);
		assert.equal(h.driver.busy(), false);
		assert.equal(h.driver.leftover(), null);
	} finally {
		await h.close();
		await sim.stop();
	}
});

test('a simulator without --profiler answers 404: the view says how to enable profiling', async () => {
	const sim = await startSimulator({profiler: false});
	const h = harness(sim.url);
	try {
		h.driver.key('p');
		h.driver.key('p');
		const failed = await h.until(view => view.phase === 'error');
		assert.equal(failed.detail, profilerDisabledHint);
		assert.match(failed.detail ?? '', /--profiler-config/);
		assert.match(failed.detail ?? '', /VLLM_TORCH_PROFILER_DIR/);
	} finally {
		await h.close();
		await sim.stop();
	}
});

test('--profile-duration stops the capture by itself', async () => {
	const sim = await startSimulator({profiler: true, profilerStopMs: 50});
	const h = harness(sim.url, 200);
	try {
		h.driver.key('p');
		h.driver.key('y');
		const running = await h.until(view => view.phase === 'running');
		const done = await h.until(view => view.phase === 'done');
		assert.equal(done.detail, traceWritten);
		const stopping = h.views.find(view => view.phase === 'stopping');
		assert.ok(stopping?.stoppingSince && running.startedAt);
		assert.ok(stopping.stoppingSince - running.startedAt >= 190);
		assert.equal(sim.profiler.stops, 1);
	} finally {
		await h.close();
		await sim.stop();
	}
});

test('a 500 on start names the server failure', async () => {
	const server = await startHttpServer((_request, response) => {
		response.writeHead(500, {'content-type': 'application/json'});
		response.end(
			JSON.stringify({
				detail: 'RuntimeError: CUDA out of memory\n  at worker 0',
			}),
		);
	});
	const h = harness(server.url);
	try {
		h.driver.key('p');
		h.driver.key('y');
		const failed = await h.until(view => view.phase === 'error');
		assert.match(
			failed.detail ?? '',
			/^the server failed to start the profiler \(HTTP 500/,
		);
		assert.doesNotMatch(failed.detail ?? '', /\n/);
	} finally {
		await h.close();
		await server.close();
	}
});

test('a connection dropped during the stop says the trace may still be written', async () => {
	const server = await startHttpServer((request, response) => {
		if (request.url === '/start_profile') {
			response.writeHead(200, {'content-length': 0});
			response.end();
			return;
		}

		setTimeout(() => {
			request.socket.destroy();
		}, 100);
	});
	const h = harness(server.url);
	try {
		h.driver.key('p');
		h.driver.key('y');
		await h.until(view => view.phase === 'running');
		h.driver.key('p');
		const failed = await h.until(view => view.phase === 'error');
		assert.equal(failed.detail, droppedDuringStop);
	} finally {
		await h.close();
		await server.close();
	}
});

test('connection refused is said in words', async () => {
	const server = await startHttpServer(() => {
		// Closed before use: only its port matters.
	});
	await server.close();
	const h = harness(server.url);
	try {
		h.driver.key('p');
		h.driver.key('y');
		const failed = await h.until(view => view.phase === 'error');
		assert.match(
			failed.detail ?? '',
			/^connection refused by http:\/\/127\.0\.0\.1:\d+: the server is down/,
		);
	} finally {
		await h.close();
	}
});

test('quit during a capture stops it first and quits only once the trace is written', async () => {
	const sim = await startSimulator({profiler: true, profilerStopMs: 300});
	const h = harness(sim.url);
	try {
		assert.equal(
			await h.driver.requestQuit(),
			'quit-now',
			'idle quits at once',
		);
		h.driver.key('p');
		h.driver.key('y');
		await h.until(view => view.phase === 'running');
		const asked = Date.now();
		const decision = await h.driver.requestQuit();
		assert.equal(decision, 'quit-now');
		assert.ok(Date.now() - asked >= 250, 'waited for the stop');
		assert.equal(sim.profiler.active, false, 'no capture left on the server');
		assert.equal(h.driver.view().phase, 'done');
	} finally {
		await h.close();
		await sim.stop();
	}
});

test('a second quit while the trace is written quits at once and leaves a note', async () => {
	const sim = await startSimulator({profiler: true, profilerStopMs: 2000});
	const h = harness(sim.url);
	try {
		h.driver.key('p');
		h.driver.key('y');
		await h.until(view => view.phase === 'running');
		const first = h.driver.requestQuit();
		assert.equal(h.driver.view().phase, 'stopping');
		assert.match(h.driver.view().detail ?? '', /q again quits now/);
		const asked = Date.now();
		assert.equal(await h.driver.requestQuit(), 'quit-now');
		assert.equal(await first, 'quit-now');
		assert.ok(Date.now() - asked < 1000, 'did not wait for the 2 s stop');
		assert.match(h.driver.leftover() ?? '', /still writing the profiler trace/);
	} finally {
		await h.close();
		await sim.stop();
	}
});

test('n while a quit waits calls the quit off', async () => {
	const sim = await startSimulator({profiler: true, profilerStopMs: 300});
	const h = harness(sim.url);
	try {
		h.driver.key('p');
		h.driver.key('y');
		await h.until(view => view.phase === 'running');
		const quit = h.driver.requestQuit();
		h.driver.key('n');
		assert.equal(await quit, 'wait');
		const done = await h.until(view => view.phase === 'done');
		assert.equal(done.detail, traceWritten);
	} finally {
		await h.close();
		await sim.stop();
	}
});

test('a server restart during capture ends in a clear error', async () => {
	const sim = await startSimulator({profiler: true, profilerStopMs: 50});
	const h = harness(sim.url, 60_000);
	try {
		h.driver.key('p');
		h.driver.key('y');
		await h.until(view => view.phase === 'running');
		h.driver.serverRestarted();
		assert.deepEqual(h.driver.view(), {
			phase: 'error',
			startedAt: null,
			stoppingSince: null,
			detail: restartedDuringCapture,
		});
		assert.equal(h.driver.busy(), false);
	} finally {
		await h.close();
		await sim.stop();
	}
});

test('dispose while a stop is written settles a pending quit and reports nothing more', async () => {
	const sim = await startSimulator({profiler: true, profilerStopMs: 2000});
	const h = harness(sim.url);
	try {
		h.driver.key('p');
		h.driver.key('y');
		await h.until(view => view.phase === 'running');
		const quit = h.driver.requestQuit();
		const seen = h.views.length;
		h.driver.dispose();
		assert.equal(await quit, 'quit-now');
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
		assert.equal(h.views.length, seen);
	} finally {
		await h.close();
		await sim.stop();
	}
});
