import assert from 'node:assert/strict';
import {test} from 'node:test';
import {postProfiler} from '../source/profiler/profiler-post.js';
import {createLazyScrapeClient} from '../source/scrape/lazy-scrape-client.js';
import {startHttpServer} from './support/http-server.js';

test('the lazy client connects on first use and then works as the client it loads', async () => {
	const server = await startHttpServer((request, response) => {
		if (request.url === '/metrics') {
			response.setHeader('content-type', 'text/plain; version=0.0.4');
			response.end('vllm:num_requests_running 3\n');
		} else if (request.url === '/version') {
			response.setHeader('content-type', 'application/json');
			response.end('{"version":"0.11.0"}');
		} else {
			response.statusCode = request.method === 'POST' ? 200 : 503;
			response.end();
		}
	});
	const client = createLazyScrapeClient({timeoutMs: 2000});
	try {
		assert.equal(server.connections(), 0, 'nothing before the first request');
		const [first, second] = await Promise.all([
			client.scrape(`${server.url}/metrics`),
			client.scrape(`${server.url}/metrics`),
		]);
		assert.ok(first.ok && second.ok);
		assert.equal(first.body, 'vllm:num_requests_running 3\n');
		// Two calls while loading share one scrape: never two in flight for one URL.
		assert.equal(first, second);
		const version = await client.getJson(`${server.url}/version`);
		assert.deepEqual(version.ok ? version.json : null, {version: '0.11.0'});
		const health = await client.probe(`${server.url}/health`);
		assert.ok(health.ok && health.status === 503);
		const started = await postProfiler(client, `${server.url}/start_profile`, {
			timeoutMs: 1000,
		});
		assert.ok(started.ok);
	} finally {
		await client.close();
		await server.close();
	}
});

test('a lazy client that was never used closes without loading anything', async () => {
	const client = createLazyScrapeClient();
	await client.close();
});
