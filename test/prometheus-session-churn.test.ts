import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {createPrometheusClient} from '../source/prometheus/prometheus-client.js';
import {createPrometheusSession} from '../source/prometheus/prometheus-session.js';
import {startHttpServer} from './support/http-server.js';

test('an instance gone from Prometheus goes stale, then is dropped once it has been gone longer than the backfill', async () => {
	let present = true;
	// Every query answers one series for the instance while it is present, nothing once it is gone.
	const server = await startHttpServer((_request, response) => {
		const result = present
			? [{metric: {instance: 'gpu-a:8000', model_name: 'm'}, value: [1, '1']}]
			: [];
		const matrix = present
			? [
					{
						metric: {instance: 'gpu-a:8000', model_name: 'm'},
						values: [[1, '1']],
					},
				]
			: [];
		const isRange = (_request.url ?? '').includes('query_range');
		response.writeHead(200, {'content-type': 'application/json'});
		response.end(
			JSON.stringify({
				status: 'success',
				data: isRange
					? {resultType: 'matrix', result: matrix}
					: {resultType: 'vector', result},
			}),
		);
	});
	const client = createPrometheusClient({url: server.url});
	let clock = Date.parse('2026-11-22T12:00:00Z');
	const session = createPrometheusSession({
		client,
		match: '',
		intervalMs: 5000,
		windowSeconds: 60,
		alertConfig: defaultAlertConfig,
		backfillSeconds: 600,
		now: () => clock,
	});
	try {
		await session.scrapeAllOnce();
		assert.deepEqual(
			session.store.get().targets.map(view => [view.name, view.phase]),
			[['gpu-a:8000', 'up']],
		);
		present = false;
		clock += 10_000;
		await session.scrapeAllOnce();
		assert.deepEqual(
			session.store.get().targets.map(view => [view.name, view.phase]),
			[['gpu-a:8000', 'stale']],
		);
		clock += 700_000;
		await session.scrapeAllOnce();
		assert.deepEqual(session.store.get().targets, []);
	} finally {
		session.stop();
		await client.close();
		await server.close();
	}
});
