import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {panelQueries} from '../source/prometheus/panel-queries.js';
import {
	createPrometheusClient,
	readAnswer,
} from '../source/prometheus/prometheus-client.js';
import {createPrometheusSession} from '../source/prometheus/prometheus-session.js';
import {startHttpServer} from './support/http-server.js';

/**
Prometheus 3.x answer shapes (docs: HTTP API, 3.0 migration guide): `infos` beside `warnings`, label names with dots
(UTF-8 names are valid in 3.x), native-histogram samples (`histogram`) beside float ones, `execution` errors with
status 422, and classic histograms converted to native ones with custom buckets
(`convert_classic_histograms_to_nhcb`), where no `_bucket` series is left to query.
*/
const instance = 'gpu-a:8000';
const utf8Labels = {'k8s.pod.name': 'vllm-0', 'service.name': 'vllm'};

function success(resultType: 'vector' | 'matrix', result: unknown[]): string {
	return JSON.stringify({
		status: 'success',
		data: {resultType, result},
		warnings: [],
		infos: [
			'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "vllm:time_to_first_token_seconds"',
		],
	});
}

const at = 1_790_000_000;
const row = (labels: Record<string, string>, value: string) => ({
	metric: {...labels, instance, ...utf8Labels},
	value: [at, value],
});

test(
	'a Prometheus 3.x answering in its own shapes fills the snapshot: native-histogram quantiles, UTF-8 label names, infos, 422 errors',
	{timeout: 15_000},
	async () => {
		const queries = panelQueries({
			match: '',
			by: 'instance',
			rateWindow: '1m',
			latencyWindow: '60s',
		});
		const server = await startHttpServer((request, response) => {
			const url = new URL(request.url ?? '/', 'http://x');
			const query = url.searchParams.get('query') ?? '';
			response.setHeader('content-type', 'application/json');
			if (url.pathname === '/api/v1/query_range') {
				response.end(success('matrix', []));
				return;
			}

			if (query === queries.prefix_cache_hit_rate) {
				response.statusCode = 422;
				response.end(
					JSON.stringify({
						status: 'error',
						errorType: 'execution',
						error:
							'query processing would load too many samples into memory in query execution',
					}),
				);
				return;
			}

			const result: unknown[] = [];
			switch (query) {
				case queries.servers: {
					result.push(row({engine: '0', model_name: 'm'}, '1'));

					break;
				}

				case queries.requests_running: {
					result.push(row({}, '3'), {
						// A native histogram sample is no float point: it must not spoil the answer.
						metric: {instance: 'other:8000'},
						histogram: [
							at,
							{count: '4', sum: '1.5', buckets: [[0, '0.1', '0.25', '4']]},
						],
					});

					break;
				}

				case queries.cacheConfig: {
					result.push(
						row(
							{
								__name__: 'vllm:cache_config_info',
								engine: '0',
								block_size: '16',
								num_gpu_blocks: '1000',
								enable_prefix_caching: 'True',
							},
							'1',
						),
					);

					break;
				}

				default: {
					if (
						query === queries['ttft_seconds.p95'] &&
						// Only the native series exist: the classic `_bucket` ones were converted.
						query.includes(
							'histogram_quantile(0.95, sum by (instance) (rate(vllm:time_to_first_token_seconds{}[60s])))',
						)
					) {
						result.push(row({}, '0.25'));
					}
				}
			}

			response.end(success('vector', result));
		});
		const client = createPrometheusClient({url: server.url});
		const session = createPrometheusSession({
			client,
			match: '',
			intervalMs: 5000,
			windowSeconds: 60,
			alertConfig: defaultAlertConfig,
		});
		try {
			await session.scrapeAllOnce();
			const [view] = session.store.get().targets;
			assert.equal(view?.name, instance);
			assert.equal(view.phase, 'up');
			const snapshot = view.snapshot!;
			assert.equal(snapshot.signals.requests_running, 3);
			assert.equal(snapshot.signals.ttft_seconds?.p95, 0.25);
			// The refused panel is empty; the rest of the snapshot is not.
			assert.equal(snapshot.signals.prefix_cache_hit_rate, null);
			assert.deepEqual(snapshot.server.engines, ['0']);
			assert.equal(snapshot.per_engine[0]?.signals.requests_running, 3);
			assert.equal(snapshot.cache_config?.block_tokens, 16_000);
			assert.equal(snapshot.capacity?.kv_pool_tokens, 16_000);
			// The instance with only a native histogram sample was not discovered through the running panel.
			assert.equal(session.store.get().targets.length, 1);

			const refused = await client.query(queries.prefix_cache_hit_rate);
			assert.equal(refused.ok, false);
			assert.match(
				refused.ok ? '' : refused.error,
				/^Prometheus refused the query \(execution\): query processing would load too many samples[^\n]*$/v,
			);
		} finally {
			session.stop();
			await client.close();
			await server.close();
		}
	},
);

test('a native histogram sample in an answer is skipped, the float series around it are read', () => {
	const answer = readAnswer({
		status: 'success',
		data: {
			resultType: 'matrix',
			result: [
				{metric: {instance: 'a'}, values: [[1, '1.0']]},
				{
					metric: {instance: 'b'},
					histograms: [[1, {count: '1', sum: '1', buckets: []}]],
				},
			],
		},
		infos: ['PromQL info: something'],
	});
	assert.deepEqual(answer, {
		ok: true,
		series: [
			{labels: {instance: 'a'}, points: [[1, 1]]},
			{labels: {instance: 'b'}, points: []},
		],
	});
});

test('no query depends on what 3.x changed: no `le` value matched, no quoted metric name, no holt_winters', () => {
	for (const slices of [true, false]) {
		const queries = panelQueries({
			match: '{job="vllm"}',
			by: 'instance',
			rateWindow: '1m',
			latencyWindow: '300s',
			slices,
		});
		for (const [panel, query] of Object.entries(queries)) {
			// 3.x scrapes `le="1"` as `le="1.0"`: a matcher on a bucket bound would silently match nothing.
			assert.doesNotMatch(query, /\ble\s*[!=]/v, panel);
			// `{"vllm:x"}` parses only in 3.x; the legacy `vllm:x{}` form parses in both.
			assert.doesNotMatch(query, /\{\s*"/v, panel);
			// Renamed `double_exponential_smoothing` in 3.x.
			assert.doesNotMatch(query, /holt_winters/v, panel);
		}
	}
});
