import assert from 'node:assert/strict';
import {createServer} from 'node:net';
import {PassThrough} from 'node:stream';
import {test} from 'node:test';
import {gunzipSync} from 'node:zlib';
import {runSimulate} from '../source/modes/simulate.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {startSimulator} from '../source/simulator/simulator-server.js';

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

test(
	'/v1/models, /version and /health answer like a vLLM server',
	{timeout: 30_000},
	async () => {
		const simulator = await startSimulator({seed: 1, timeScale: 0});
		try {
			assert.match(simulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
			const models = await fetch(`${simulator.url}/v1/models`);
			assert.equal(models.status, 200);
			const body: unknown = await models.json();
			assert.ok(isRecord(body) && Array.isArray(body['data']));
			const cards: unknown[] = body['data'];
			const [base, ...adapters] = cards.filter(card => isRecord(card));
			assert.ok(base);
			assert.deepEqual(
				{...base, permission: undefined, created: undefined},
				{
					id: 'meta-llama/Llama-3.1-8B-Instruct',
					object: 'model',
					owned_by: 'vllm',
					root: 'meta-llama/Llama-3.1-8B-Instruct',
					parent: null,
					max_model_len: 8192,
					permission: undefined,
					created: undefined,
				},
			);
			assert.deepEqual(
				adapters.map(adapter => adapter['parent']),
				[
					'meta-llama/Llama-3.1-8B-Instruct',
					'meta-llama/Llama-3.1-8B-Instruct',
				],
			);
			const version = await fetch(`${simulator.url}/version`);
			const versionBody: unknown = await version.json();
			assert.ok(isRecord(versionBody));
			assert.match(String(versionBody['version']), /^0\.\d+\.\d+$/);
			const health = await fetch(`${simulator.url}/health`);
			assert.equal(health.status, 200);
			assert.equal(await health.text(), '');
			const metrics = await fetch(`${simulator.url}/metrics`);
			assert.match(
				metrics.headers.get('content-type') ?? '',
				/^text\/plain; version=0\.0\.4/,
			);
			assert.equal(metrics.headers.get('content-encoding'), null);
			await metrics.arrayBuffer();
			const missing = await fetch(`${simulator.url}/nope`);
			assert.equal(missing.status, 404);
			await missing.arrayBuffer();
		} finally {
			await simulator.stop();
		}
	},
);

test(
	'the profiler routes are 404 unless enabled',
	{timeout: 30_000},
	async () => {
		const simulator = await startSimulator({timeScale: 0});
		try {
			for (const route of ['/start_profile', '/stop_profile']) {
				const response = await fetch(`${simulator.url}${route}`, {
					method: 'POST',
				});
				assert.equal(response.status, 404);
				assert.deepEqual(await response.json(), {detail: 'Not Found'});
			}

			assert.equal(simulator.profiler.starts, 0);
		} finally {
			await simulator.stop();
		}
	},
);

test(
	'stop_profile takes profilerStopMs, like a server flushing traces',
	{timeout: 30_000},
	async () => {
		const simulator = await startSimulator({
			timeScale: 0,
			profiler: true,
			profilerStopMs: 400,
		});
		try {
			const start = await fetch(`${simulator.url}/start_profile`, {
				method: 'POST',
			});
			assert.equal(start.status, 200);
			assert.equal(await start.text(), '');
			assert.equal(simulator.profiler.active, true);
			const wrongMethod = await fetch(`${simulator.url}/start_profile`);
			assert.equal(wrongMethod.status, 405);
			await wrongMethod.arrayBuffer();
			const began = performance.now();
			const stop = await fetch(`${simulator.url}/stop_profile`, {
				method: 'POST',
			});
			const took = performance.now() - began;
			assert.equal(stop.status, 200);
			await stop.arrayBuffer();
			assert.ok(took >= 380, `stop took ${took} ms`);
			assert.deepEqual(
				{...simulator.profiler},
				{active: false, starts: 1, stops: 1},
			);
		} finally {
			await simulator.stop();
		}
	},
);

test(
	'the same seed gives byte-identical pages',
	{timeout: 60_000},
	async () => {
		const page = async () => {
			const simulator = await startSimulator({
				seed: 9,
				timeScale: 0,
				startTimeMs: 1_780_000_000_000,
			});
			try {
				simulator.advance(15);
				const response = await fetch(`${simulator.url}/metrics`);
				return await response.text();
			} finally {
				await simulator.stop();
			}
		};

		const first = await page();
		assert.equal(await page(), first);
		assert.match(
			first,
			/vllm:generation_tokens_total{model_name="[^"]+",engine="0"} [1-9]/,
		);
	},
);

test(
	'V0 mode serves the vLLM 0.6.3 names with a model_name label only',
	{timeout: 60_000},
	async () => {
		const simulator = await startSimulator({
			seed: 2,
			timeScale: 0,
			legacyV0: true,
			scenario: 'kv-pressure',
		});
		try {
			simulator.advance(60);
			const response = await fetch(`${simulator.url}/metrics`);
			const result = parseExposition(await response.text(), 'text');
			assert.ok(result.ok);
			const {page} = result;
			for (const name of [
				'vllm:num_requests_swapped',
				'vllm:gpu_cache_usage_perc',
				'vllm:cpu_cache_usage_perc',
				'vllm:time_per_output_token_seconds',
				'vllm:gpu_prefix_cache_hit_rate',
				'vllm:num_preemptions_total',
			]) {
				assert.ok(page.families.has(name), name);
			}

			for (const name of [
				'vllm:kv_cache_usage_perc',
				'vllm:inter_token_latency_seconds',
				'vllm:engine_sleep_state',
			]) {
				assert.ok(!page.families.has(name), name);
			}

			assert.ok(page.samples.every(sample => !('engine' in sample.labels)));
			assert.ok(
				(page.byName.get('vllm:gpu_cache_usage_perc')?.[0]?.value ?? 0) > 0.9,
			);
			assert.ok(
				(page.byName.get('vllm:num_preemptions_total')?.[0]?.value ?? 0) > 0,
			);
			const version = await fetch(`${simulator.url}/version`);
			assert.deepEqual(await version.json(), {version: '0.6.3'});
		} finally {
			await simulator.stop();
		}
	},
);

test(
	'gzip is served only when enabled and asked for',
	{timeout: 30_000},
	async () => {
		const simulator = await startSimulator({timeScale: 0, gzip: true});
		try {
			const {request} = await import('node:http');
			const raw = await new Promise<{
				encoding: string | undefined;
				body: Buffer;
			}>((resolve, reject) => {
				request(
					`${simulator.url}/metrics`,
					{headers: {'accept-encoding': 'gzip'}},
					response => {
						const chunks: Buffer[] = [];
						response.on('data', (chunk: Buffer) => {
							chunks.push(chunk);
						});
						response.on('end', () => {
							resolve({
								encoding: response.headers['content-encoding'],
								body: Buffer.concat(chunks),
							});
						});
					},
				)
					.on('error', reject)
					.end();
			});
			assert.equal(raw.encoding, 'gzip');
			assert.match(
				gunzipSync(raw.body).toString('utf8'),
				/# TYPE vllm:num_requests_running gauge/,
			);
		} finally {
			await simulator.stop();
		}
	},
);

test(
	'a real wall clock moves the model when timeScale is above 0',
	{timeout: 30_000},
	async () => {
		const simulator = await startSimulator({timeScale: 50, seed: 3});
		try {
			await new Promise(resolve => {
				setTimeout(resolve, 400);
			});
			const response = await fetch(`${simulator.url}/metrics`);
			const text = await response.text();
			assert.ok(simulator.simTime >= 15, `sim time ${simulator.simTime}`);
			assert.match(text, /vllm:generation_tokens_total{[^}]*} [1-9]/);
		} finally {
			await simulator.stop();
		}
	},
);

function collect(): {stream: PassThrough; text: () => string} {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString('utf8');
	});
	return {stream, text: () => text};
}

test(
	'simulate mode prints where it listens, runs until aborted, exits 0',
	{timeout: 30_000},
	async () => {
		const stdout = collect();
		const stderr = collect();
		const controller = new AbortController();
		const probe = createServer();
		await new Promise<void>(resolve => {
			probe.listen(0, '127.0.0.1', resolve);
		});
		const address = probe.address();
		assert.ok(address !== null && typeof address === 'object');
		await new Promise(resolve => {
			probe.close(resolve);
		});
		const options = {
			port: address.port,
			host: '127.0.0.1',
			scenario: 'steady',
			seed: 1,
			timeScale: 1,
			legacyV0: false,
			profiler: false,
			engines: 0,
			traffic: true,
		} as const;
		const running = runSimulate(options, {
			stdout: stdout.stream,
			stderr: stderr.stream,
			signal: controller.signal,
		});
		while (!stdout.text().includes('listening')) {
			await new Promise(resolve => {
				setTimeout(resolve, 20);
			});
		}

		assert.ok(stdout.text().includes(`http://127.0.0.1:${address.port}`));
		assert.ok(stdout.text().includes('scenario steady'));
		const health = await fetch(`http://127.0.0.1:${address.port}/health`);
		assert.equal(health.status, 200);

		// A second one on the same port fails with one line and exit status 1.
		const busyErr = collect();
		const busy = await runSimulate(options, {
			stdout: collect().stream,
			stderr: busyErr.stream,
			signal: controller.signal,
		});
		assert.equal(busy, 1);
		assert.match(
			busyErr.text(),
			/^vllm-top simulate: port \d+ on 127\.0\.0\.1 is already in use; pick another with --port\n$/,
		);

		controller.abort();
		assert.equal(await running, 0);
		assert.equal(stderr.text(), '');
		await assert.rejects(fetch(`http://127.0.0.1:${address.port}/health`));
	},
);

test('bad options are refused with a message naming the cause', async () => {
	await assert.rejects(
		startSimulator({port: 70_000}),
		/port must be an integer 0-65535/,
	);
	await assert.rejects(
		startSimulator({timeScale: -1}),
		/timeScale must be a number >= 0/,
	);
	await assert.rejects(
		startSimulator({
			// @ts-expect-error an unknown scenario name as it could come from a command line
			scenario: 'nope',
		}),
		/unknown scenario "nope"; pick one of steady, burst/,
	);
});
