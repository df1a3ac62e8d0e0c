/**
`vllm-top --once` as scripts use it: the built CLI against the simulator or a loopback server with hand-written
pages, checking the Nagios-style exit code (0 ok, 1 warn, 2 crit, 3 down) and the JSON document's shape.
*/
import assert from 'node:assert/strict';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {performance} from 'node:perf_hooks';
import {describe, test} from 'node:test';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {startHttpServer, type TestServer} from './support/http-server.js';
import {
	cliMissing,
	parseFleet,
	parseSnapshot,
	runCli,
	type SnapshotDocument,
} from './support/run-cli.js';

type PageValues = {
	readonly running: number;
	readonly waiting: number;
	readonly kv: number;
	readonly generated: number;
};

/** A small V1 page: the gauges and one counter the rules read, with the `engine` label V1 adds. */
function v1Page(values: PageValues): string {
	const labels = 'engine="0",model_name="test-model"';
	return [
		'# HELP vllm:num_requests_running Number of requests in model execution batches.',
		'# TYPE vllm:num_requests_running gauge',
		`vllm:num_requests_running{${labels}} ${values.running}`,
		'# HELP vllm:num_requests_waiting Number of requests waiting to be processed.',
		'# TYPE vllm:num_requests_waiting gauge',
		`vllm:num_requests_waiting{${labels}} ${values.waiting}`,
		'# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.',
		'# TYPE vllm:kv_cache_usage_perc gauge',
		`vllm:kv_cache_usage_perc{${labels}} ${values.kv}`,
		'# HELP vllm:generation_tokens_total Number of generation tokens processed.',
		'# TYPE vllm:generation_tokens_total counter',
		`vllm:generation_tokens_total{${labels}} ${values.generated}`,
		'',
	].join('\n');
}

/** Serves `pages[n]` on the n-th /metrics request (the last one after that), `/health` with `healthStatus`. */
async function pageServer(
	pages: readonly string[],
	healthStatus = 200,
	scrapeTimes: number[] = [],
): Promise<TestServer> {
	let scrapes = 0;
	return startHttpServer(
		(request: IncomingMessage, response: ServerResponse) => {
			const path = new URL(request.url ?? '/', 'http://x').pathname;
			switch (path) {
				case '/metrics': {
					const page = pages[Math.min(scrapes, pages.length - 1)] ?? '';
					scrapes++;
					scrapeTimes.push(Date.now());
					response.writeHead(200, {
						'content-type': 'text/plain; version=0.0.4; charset=utf-8',
					});
					response.end(page);

					break;
				}

				case '/health': {
					response.writeHead(healthStatus);
					response.end();

					break;
				}

				case '/version': {
					response.writeHead(200, {'content-type': 'application/json'});
					response.end(JSON.stringify({version: '0.10.1'}));

					break;
				}

				default: {
					response.writeHead(404);
					response.end();
				}
			}
		},
	);
}

async function withServer<T>(
	server: TestServer,
	run: (server: TestServer) => Promise<T>,
): Promise<T> {
	try {
		return await run(server);
	} finally {
		await server.close();
	}
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
	const server = await startHttpServer((_request, response) => {
		response.end();
	});
	await server.close();
	return server.port;
}

function firing(document: SnapshotDocument): string[] {
	return document.alerts
		.filter(alert => alert.state === 'firing')
		.map(alert => `${alert.id}:${alert.severity}`);
}

const healthy: PageValues = {running: 4, waiting: 0, kv: 0.5, generated: 1000};

describe(
	'vllm-top --once',
	{skip: cliMissing, timeout: 60_000, concurrency: 3},
	() => {
		test('a healthy V1 page exits 0 with an ok summary', async () => {
			await withServer(
				await pageServer([
					v1Page(healthy),
					v1Page({...healthy, generated: 1200}),
				]),
				async server => {
					const result = await runCli(['--once', '-i', '0.5', server.url]);
					assert.equal(result.code, 0, result.stdout + result.stderr);
					assert.match(result.stdout, /OK/);
					assert.match(result.stdout, /running 4/);
					assert.match(result.stdout, /\(V1\)/);
				},
			);
		});

		test('the steady simulator, with ITL allowed up to 1 s, exits 0', async () => {
			const simulator = await startSimulator({scenario: 'steady', seed: 3});
			try {
				const result = await runCli([
					'--once',
					'--json',
					'-i',
					'0.5',
					'--threshold',
					'itl_p95_high.value=1000',
					'--threshold',
					'itl_p95_high.clear=900',
					simulator.url,
				]);
				const document = parseSnapshot(result.stdout);
				assert.equal(result.code, 0, JSON.stringify(firing(document)));
				assert.equal(document.status, 'ok');
				assert.equal(document.server.generation, 'v1');
			} finally {
				await simulator.stop();
			}
		});

		test('a queue of 500 rising between the two scrapes is crit: exit 2', async () => {
			await withServer(
				await pageServer([
					v1Page({...healthy, waiting: 400}),
					v1Page({...healthy, waiting: 500, generated: 1200}),
				]),
				async server => {
					const result = await runCli([
						'--once',
						'--json',
						'-i',
						'0.5',
						server.url,
					]);
					assert.equal(result.code, 2, result.stdout + result.stderr);
					const document = parseSnapshot(result.stdout);
					assert.equal(document.status, 'crit');
					assert.ok(
						firing(document).includes('queue_backlog:crit'),
						JSON.stringify(firing(document)),
					);
				},
			);
		});

		test('a queue of 500 that is not rising is only warn: exit 1', async () => {
			await withServer(
				await pageServer([v1Page({...healthy, waiting: 500})]),
				async server => {
					const result = await runCli(['--once', '-i', '0.5', server.url]);
					assert.equal(result.code, 1, result.stdout + result.stderr);
					assert.match(result.stdout, /queue_backlog/);
				},
			);
		});

		test('/health answering 503 is crit (engine_unhealthy): exit 2', async () => {
			await withServer(
				await pageServer([v1Page(healthy)], 503),
				async server => {
					const result = await runCli([
						'--once',
						'--json',
						'-i',
						'0.5',
						server.url,
					]);
					assert.equal(result.code, 2, result.stdout + result.stderr);
					const document = parseSnapshot(result.stdout);
					assert.ok(
						firing(document).includes('engine_unhealthy:crit'),
						JSON.stringify(firing(document)),
					);
				},
			);
		});

		test('KV cache at 95% fires kv_cache_pressure at once: exit 1', async () => {
			await withServer(
				await pageServer([v1Page({...healthy, kv: 0.95})]),
				async server => {
					const result = await runCli([
						'--once',
						'--json',
						'-i',
						'0.5',
						server.url,
					]);
					assert.equal(result.code, 1, result.stdout + result.stderr);
					const document = parseSnapshot(result.stdout);
					assert.equal(document.status, 'warn');
					assert.deepEqual(firing(document), ['kv_cache_pressure:warn']);
					assert.equal(document.signals['kv_cache_usage'], 0.95);
				},
			);
		});

		test('a refused port exits 3 and says the server is starting or down', async () => {
			const port = await closedPort();
			const result = await runCli([
				'--once',
				'-i',
				'0.5',
				`http://127.0.0.1:${port}`,
			]);
			assert.equal(result.code, 3, result.stdout + result.stderr);
			assert.match(result.stdout + result.stderr, /starting or down/);
		});

		test('a refused port answers at once, without waiting the interval, and with no table of --', async () => {
			const port = await closedPort();
			const started = performance.now();
			const result = await runCli([
				'--once',
				'-i',
				'60',
				`http://127.0.0.1:${port}`,
			]);
			// Far below the 60 s interval, with room for a loaded machine starting node.
			assert.ok(performance.now() - started < 30_000);
			assert.equal(result.code, 3, result.stdout + result.stderr);
			assert.match(result.stdout, /connection refused/);
			assert.match(result.stdout, /hint: nothing listens there/);
			assert.doesNotMatch(result.stdout, /running --|tokens\/s|latency/);
		});

		test('--json on a refused port is a down document with null signals', async () => {
			const port = await closedPort();
			const result = await runCli([
				'--once',
				'--json',
				'-i',
				'0.5',
				`127.0.0.1:${port}`,
			]);
			assert.equal(result.code, 3);
			const document = parseSnapshot(result.stdout);
			assert.equal(document.schema, 1);
			assert.equal(document.status, 'down');
			assert.equal(document.signals['requests_running'], null);
			assert.equal(document.signals['kv_cache_usage'], null);
		});

		test('--json: schema 1, V1 generation, every signal key, nulls where the page has none', async () => {
			await withServer(
				await pageServer([
					v1Page(healthy),
					v1Page({...healthy, generated: 1200}),
				]),
				async server => {
					const result = await runCli([
						'--once',
						'--json',
						'-i',
						'0.5',
						server.url,
					]);
					assert.equal(result.code, 0, result.stdout + result.stderr);
					const document = parseSnapshot(result.stdout);
					assert.equal(document.schema, 1);
					assert.equal(document.status, 'ok');
					assert.equal(document.server.generation, 'v1');
					assert.equal(document.server.version, '0.10.1');
					for (const key of [
						'requests_running',
						'requests_waiting',
						'requests_swapped',
						'kv_cache_usage',
						'generation_tokens_per_s',
						'prefix_cache_hit_rate',
						'ttft_seconds',
						'itl_seconds',
					]) {
						assert.ok(key in document.signals, `signals.${key} missing`);
					}

					assert.equal(document.signals['requests_running'], 4);
					assert.equal(document.signals['kv_cache_usage'], 0.5);
					// 200 tokens in about half a second: a rate, not a count.
					const rate = document.signals['generation_tokens_per_s'];
					assert.ok(
						typeof rate === 'number' && rate > 100 && rate < 1000,
						String(rate),
					);
					// Not on the page: null, never missing or zero.
					assert.equal(document.signals['requests_swapped'], null);
					assert.equal(document.signals['prefix_cache_hit_rate'], null);
					assert.equal(document.signals['ttft_seconds'], null);
				},
			);
		});

		test('--json against the --legacy-v0 simulator reports generation v0', async () => {
			const simulator = await startSimulator({legacyV0: true, seed: 2});
			try {
				const result = await runCli([
					'--once',
					'--json',
					'-i',
					'0.5',
					simulator.url,
				]);
				assert.ok(result.code !== null && result.code <= 2, result.stderr);
				const document = parseSnapshot(result.stdout);
				assert.equal(document.schema, 1);
				assert.equal(document.server.generation, 'v0');
				assert.equal(document.server.version, '0.6.3');
				assert.equal(typeof document.signals['requests_running'], 'number');
				// V0 has swapping; V1 pages leave it null.
				assert.equal(typeof document.signals['requests_swapped'], 'number');
			} finally {
				await simulator.stop();
			}
		});

		test('two URLs: one document with both targets and the worst exit code', async () => {
			const warnServer = await pageServer([v1Page({...healthy, kv: 0.95})]);
			const port = await closedPort();
			try {
				const down = `http://127.0.0.1:${port}`;
				const both = await runCli([
					'--once',
					'--json',
					'-i',
					'0.5',
					warnServer.url,
					down,
				]);
				assert.equal(both.code, 3, both.stderr);
				const document = parseFleet(both.stdout);
				assert.equal(document.schema, 1);
				assert.equal(document.status, 'down');
				assert.equal(document.targets.length, 2);
				assert.deepEqual(
					document.targets.map(target => target.status),
					['warn', 'down'],
				);
				assert.ok(document.targets[0]?.target.startsWith(warnServer.url));
				assert.ok(document.targets[1]?.target.startsWith(down));
			} finally {
				await warnServer.close();
			}
		});

		test('two healthy-or-warn URLs exit with the warn code', async () => {
			const okServer = await pageServer([v1Page(healthy)]);
			const warnServer = await pageServer([v1Page({...healthy, kv: 0.95})]);
			try {
				const result = await runCli([
					'--once',
					'--json',
					'-i',
					'0.5',
					okServer.url,
					warnServer.url,
				]);
				assert.equal(result.code, 1, result.stderr);
				const document = parseFleet(result.stdout);
				assert.equal(document.status, 'warn');
				assert.deepEqual(
					document.targets.map(target => target.status),
					['ok', 'warn'],
				);
			} finally {
				await okServer.close();
				await warnServer.close();
			}
		});

		test('-i 0.5 puts half a second between the two scrapes, not the default 2 s', async () => {
			const times: number[] = [];
			await withServer(
				await pageServer([v1Page(healthy)], 200, times),
				async server => {
					const result = await runCli(['--once', '-i', '0.5', server.url]);
					assert.equal(result.code, 0, result.stderr);
					assert.equal(times.length, 2);
					const gap = times[1]! - times[0]!;
					assert.ok(gap >= 450 && gap < 1500, `${gap} ms between scrapes`);
				},
			);
		});
	},
);
