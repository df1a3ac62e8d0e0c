import assert from 'node:assert/strict';
import {test} from 'node:test';
import {checkMatch, panelQueries} from '../source/prometheus/panel-queries.js';
import {createPrometheusClient} from '../source/prometheus/prometheus-client.js';
import {startHttpServer} from './support/http-server.js';

test(
	'queries carry the auth header and query string; answers, refusals and non-Prometheus pages are read',
	{timeout: 10_000},
	async () => {
		const seen: Array<{url: string; auth: string | undefined}> = [];
		const server = await startHttpServer((request, response) => {
			seen.push({url: request.url ?? '', auth: request.headers.authorization});
			const url = new URL(request.url ?? '/', 'http://x');
			response.setHeader('content-type', 'application/json');
			if (
				url.pathname === '/prom/api/v1/query' &&
				url.searchParams.get('query') === 'up'
			) {
				response.end(
					JSON.stringify({
						status: 'success',
						data: {
							resultType: 'vector',
							result: [
								{metric: {instance: 'a:1'}, value: [1_700_000_000, '+Inf']},
							],
						},
					}),
				);
				return;
			}

			if (url.pathname === '/prom/api/v1/query_range') {
				response.end(
					JSON.stringify({
						status: 'success',
						data: {
							resultType: 'matrix',
							result: [
								{
									metric: {instance: 'a:1'},
									values: [
										[10, '1'],
										[11, 'NaN'],
									],
								},
							],
						},
					}),
				);
				return;
			}

			if (url.pathname === '/prom/api/v1/query') {
				response.statusCode = 400;
				response.end(
					JSON.stringify({
						status: 'error',
						errorType: 'bad_data',
						error: 'parse error at char 3\nmore',
					}),
				);
				return;
			}

			response.setHeader('content-type', 'text/html');
			response.end('<html>login</html>');
		});
		const bearer = createPrometheusClient({
			url: `${server.url}/prom/`,
			auth: {kind: 'bearer', token: 't0k'},
		});
		const basic = createPrometheusClient({
			url: `${server.url}/elsewhere`,
			auth: {kind: 'basic', user: 'u', password: 'p:w'},
		});
		try {
			assert.deepEqual(await bearer.query('up', 1_700_000_000), {
				ok: true,
				series: [
					{
						labels: {instance: 'a:1'},
						points: [[1_700_000_000, Number.POSITIVE_INFINITY]],
					},
				],
			});
			assert.equal(seen[0]!.url, '/prom/api/v1/query?query=up&time=1700000000');
			assert.equal(seen[0]!.auth, 'Bearer t0k');
			const range = await bearer.queryRange('rate(x[1m])', 10, 11, 1);
			assert.ok(range.ok);
			assert.deepEqual(range.series[0]!.points[0], [10, 1]);
			assert.ok(Number.isNaN(range.series[0]!.points[1]![1]));
			assert.equal(
				seen[1]!.url,
				'/prom/api/v1/query_range?query=rate%28x%5B1m%5D%29&start=10&end=11&step=1',
			);
			// A refused query is one line in Prometheus' own words, read from the error body.
			const refused = await bearer.query('sum(');
			assert.equal(refused.ok, false);
			assert.match(
				refused.ok ? '' : refused.error,
				/^Prometheus refused the query \(bad_data\): parse error at char 3[^\n]*$/v,
			);
			const html = await basic.query('up');
			assert.equal(html.ok, false);
			assert.match(
				html.ok ? '' : html.error,
				/not a Prometheus API answer|Prometheus/v,
			);
			assert.equal(
				seen.at(-1)!.auth,
				`Basic ${Buffer.from('u:p:w').toString('base64')}`,
			);
		} finally {
			await bearer.close();
			await basic.close();
			await server.close();
		}
	},
);

test(
	'an unreachable Prometheus is one line, not a throw',
	{timeout: 10_000},
	async () => {
		const client = createPrometheusClient({
			url: 'http://127.0.0.1:1',
			timeoutMs: 2000,
		});
		try {
			const answer = await client.query('up');
			assert.equal(answer.ok, false);
			assert.ok(!answer.ok && !answer.error.includes('\n'));
			// Its own words: a refused Prometheus is not a vLLM loading its model.
			assert.match(
				answer.ok ? '' : answer.error,
				/^Prometheus at http:\/\/127\.0\.0\.1:1 refused the connection: check that it is running/v,
			);
			assert.ok(!answer.ok && !answer.error.includes('vLLM'));
		} finally {
			await client.close();
		}
	},
);

test('panel queries: one per panel for all instances, the match inside every selector, V0 fallbacks, slices', () => {
	const options = {
		match: '{job="vllm"}',
		by: 'instance',
		rateWindow: '1m',
		latencyWindow: '300s',
	};
	const queries = panelQueries(options);
	const totals = panelQueries({...options, slices: false});
	assert.equal(
		totals.generation_tokens_per_s,
		'sum by (instance) (rate(vllm:generation_tokens_total{job="vllm"}[1m])) or sum by (instance) (vllm:avg_generation_throughput_toks_per_s{job="vllm"}) unless on (instance) count by (instance) (vllm:generation_tokens_total{job="vllm"})',
	);
	// Keyed panels keep their key label next to the slice labels.
	assert.equal(
		totals.requests_waiting_by_reason,
		'sum by (instance, reason) (vllm:num_requests_waiting_by_reason{job="vllm"})',
	);
	assert.equal(
		totals.requests_per_s_by_reason,
		'sum by (instance, finished_reason) (rate(vllm:request_success_total{job="vllm"}[1m]))',
	);
	assert.equal(
		totals.spec_decode_acceptance_rate,
		'sum by (instance) (rate(vllm:spec_decode_num_accepted_tokens_total{job="vllm"}[300s])) / sum by (instance) (rate(vllm:spec_decode_num_draft_tokens_total{job="vllm"}[300s])) or avg by (instance) (vllm:spec_decode_draft_acceptance_rate{job="vllm"} >= 0)',
	);
	// One LoRA series per instance whatever the number of stale adapter sets; every engine's sleep levels at once.
	assert.equal(
		queries.lora,
		'topk by (instance) (1, max by (instance, max_lora, running_lora_adapters, waiting_lora_adapters) (vllm:lora_requests_info{job="vllm"}))',
	);
	assert.equal(
		queries.sleepState,
		'max by (instance, engine, model_name, sleep_state) (vllm:engine_sleep_state{job="vllm"})',
	);
	assert.equal(
		totals.kv_cache_usage,
		'avg by (instance) (vllm:kv_cache_usage_perc{job="vllm"}) or avg by (instance) (vllm:gpu_cache_usage_perc{job="vllm"})',
	);
	assert.equal(
		totals['ttft_seconds.p95'],
		'histogram_quantile(0.95, sum by (instance, le) (rate(vllm:time_to_first_token_seconds_bucket{job="vllm"}[300s]))) or histogram_quantile(0.95, sum by (instance) (rate(vllm:time_to_first_token_seconds{job="vllm"}[300s])))',
	);
	assert.match(
		totals['itl_seconds.p95'],
		/inter_token_latency_seconds_bucket.* or .*time_per_output_token_seconds_bucket/v,
	);
	// Engine and model slices ride in the same query, only for instances with more than one engine or model.
	assert.equal(
		queries.requests_running,
		'sum by (instance) (vllm:num_requests_running{job="vllm"}) or (sum by (instance, engine) (vllm:num_requests_running{job="vllm"})) and on (instance) (count by (instance) (count by (instance, engine) (vllm:num_requests_running{job="vllm"})) > 1) or (sum by (instance, model_name) (vllm:num_requests_running{job="vllm"})) and on (instance) (count by (instance) (count by (instance, model_name) (vllm:num_requests_running{job="vllm"})) > 1)',
	);
	assert.equal(
		queries.servers,
		'count by (instance, engine, model_name) (vllm:num_requests_running{job="vllm"})',
	);
	assert.equal(queries.cacheConfig, 'vllm:cache_config_info{job="vllm"}');
	// No query depends on how many instances there are.
	assert.ok(
		Object.values(queries).every(query => !query.includes('127.0.0.1')),
	);
	assert.equal(checkMatch('{job="vllm"}'), null);
	assert.equal(checkMatch('{cluster="a, b",job=~"vllm.*"}'), null);
	assert.equal(checkMatch('{"k8s.namespace"="ml"}'), null);
	assert.equal(checkMatch(''), null);
	assert.match(
		checkMatch('{job=vllm}') ?? '',
		/^invalid --match '\{job=vllm\}': give label matchers/v,
	);
});
