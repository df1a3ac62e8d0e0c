/**
Every alert rule's PromQL: built from the rule object and the signals' own PromQL with the thresholds in force, and,
against a real Prometheus scraping the simulator, accepted and true exactly where the rule's threshold says.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {ruleDefaults, ruleIds} from '../source/alerts/rule-defaults.js';
import {ruleList} from '../source/alerts/rules/rule-list.js';
import {createPrometheusClient} from '../source/prometheus/prometheus-client.js';
import {ruleQueries, ruleQuery} from '../source/prometheus/rule-queries.js';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {
	prometheusInstalled,
	startPrometheus,
} from './support/prometheus-server.js';

const options = {match: '{job="vllm"}', latencyWindow: '30s', rateWindow: '5s'};

test('every rule but two has PromQL, with its thresholds in it', () => {
	const queries = ruleQueries(ruleDefaults, options);
	assert.deepEqual(
		ruleIds.filter(id => !queries.has(id)),
		['saturated', 'engine_unhealthy'],
	);
	assert.equal(
		queries.get('kv_cache_pressure'),
		'(max by (instance) (avg by (instance, engine) (vllm:kv_cache_usage_perc{job="vllm"})) or max by (instance) (avg by (instance, engine) (vllm:gpu_cache_usage_perc{job="vllm"}))) > 0.9',
	);
	const ttft = ruleList.find(rule => rule.id === 'ttft_p95_high');
	assert.ok(ttft);
	assert.match(
		ruleQuery(ttft, {...ruleDefaults.ttft_p95_high, value: 800}, options) ?? '',
		/^\(histogram_quantile\(0\.95, .*time_to_first_token_seconds_bucket.*\) \* 1000 > 800$/v,
	);
});

test('every rule PromQL runs in Prometheus, and a threshold decides where it holds', async t => {
	if (!prometheusInstalled()) {
		t.skip('prometheus not installed: apt-get install prometheus');
		return;
	}

	const simulator = await startSimulator({
		port: 0,
		host: '127.0.0.1',
		seed: 3,
		timeScale: 1,
		scenario: 'steady',
	});
	const prometheus = await startPrometheus([`127.0.0.1:${simulator.port}`]);
	try {
		const client = createPrometheusClient({
			url: prometheus.url,
			timeoutMs: 5000,
		});
		const deadline = Date.now() + 30_000;
		for (;;) {
			const answer = await client.query('count_over_time(up{job="vllm"}[10s])');
			if (answer.ok && (answer.series[0]?.points.at(-1)?.[1] ?? 0) >= 3) {
				break;
			}

			assert.ok(Date.now() < deadline, 'Prometheus never scraped 3 times');
			await sleep(500);
		}

		for (const [id, query] of ruleQueries(ruleDefaults, options)) {
			const answer = await client.query(query);
			assert.ok(answer.ok, `${id}: ${query}: ${answer.ok ? '' : answer.error}`);
		}

		// The simulator always has 0 or more waiting: a limit of -1 holds for it, a huge one does not.
		const waiting = (value: number) =>
			ruleQueries(
				{
					...ruleDefaults,
					queue_backlog: {...ruleDefaults.queue_backlog, value},
				},
				options,
			).get('queue_backlog') ?? '';
		const holds = await client.query(waiting(-1));
		const never = await client.query(waiting(1e9));
		assert.ok(holds.ok && never.ok);
		assert.equal(holds.series.length, 1);
		assert.equal(never.series.length, 0);
	} finally {
		await prometheus.stop();
		await simulator.stop();
	}
});
