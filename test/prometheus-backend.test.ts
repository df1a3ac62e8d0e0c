import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {ruleDefaults} from '../source/alerts/rule-defaults.js';
import {
	defaultAlertConfig,
	type AlertConfig,
} from '../source/alerts/alert-config.js';
import {buildTargets} from '../source/modes/build-targets.js';
import {createMonitorSession} from '../source/session/scrape-session.js';
import {createPrometheusClient} from '../source/prometheus/prometheus-client.js';
import {createPrometheusSession} from '../source/prometheus/prometheus-session.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {
	startSimulator,
	type Simulator,
} from '../source/simulator/simulator-server.js';
import type {TargetView} from '../source/store/target-view.js';
import type {Snapshot} from '../source/pipeline/snapshot.js';
import {
	prometheusInstalled,
	startPrometheus,
	type PrometheusServer,
} from './support/prometheus-server.js';

const port = (view: TargetView) =>
	new URL(`http://${view.name.replace(/^https?:\/\//v, '')}`).port;

/**
Status judged on the gauges of the current page only. Rules read on rates, latency windows or history (a rising
queue, slots learned from the running plateau) see different windows on the two sides by design, so they are left
out here and tested on their own; what remains must agree exactly once the load is frozen.
*/
const gaugeAlertConfig: AlertConfig = {
	...defaultAlertConfig,
	disabled: [
		'ttft_p95_high',
		'itl_p95_high',
		'preemptions',
		'saturated',
		'prefix_cache_low',
		'throughput_drop',
		'restarted',
	],
	thresholds: {
		...ruleDefaults,
		// A window shorter than one scrape: the queue is never judged "rising", so its severity reads the gauge alone.
		queue_backlog: {...ruleDefaults.queue_backlog, rising_for: 0.001},
	},
};

function close(
	a: number | null | undefined,
	b: number | null | undefined,
	tolerance: number,
	what: string,
) {
	assert.ok(
		typeof a === 'number' && typeof b === 'number',
		`${what}: ${a} vs ${b}`,
	);
	const scale = Math.max(Math.abs(a), Math.abs(b), 1e-9);
	assert.ok(Math.abs(a - b) / scale <= tolerance, `${what}: ${a} vs ${b}`);
}

/** Null on both sides, or numbers within `tolerance` of the larger (and of 1, so near-zero rates of rare reasons agree). */
function near(
	a: number | null | undefined,
	b: number | null | undefined,
	tolerance: number,
	what: string,
) {
	if (b === null || b === undefined) {
		assert.equal(a ?? null, null, `${what}: ${a} vs ${b}`);
		return;
	}

	assert.ok(typeof a === 'number', `${what}: ${a} vs ${b}`);
	const scale = Math.max(Math.abs(a), Math.abs(b), 1);
	assert.ok(Math.abs(a - b) / scale <= tolerance, `${what}: ${a} vs ${b}`);
}

/** Window-based signals: rates by finished reason and the spec decode ratios, for the total and every engine. */
function compareWindowed(name: string, prom: Snapshot, direct: Snapshot) {
	const slices = (snapshot: Snapshot) => [
		['total', snapshot.signals] as const,
		...snapshot.per_engine.map(
			row => [`engine ${row.engine}`, row.signals] as const,
		),
	];
	const directSlices = slices(direct);
	for (const [index, [slice, a]] of slices(prom).entries()) {
		const b = directSlices[index]![1];
		const what = `${name} ${slice}`;
		assert.deepEqual(
			Object.keys(a.requests_per_s_by_reason ?? {}).toSorted(),
			Object.keys(b.requests_per_s_by_reason ?? {}).toSorted(),
			`${what} finished reasons`,
		);
		for (const [reason, value] of Object.entries(
			b.requests_per_s_by_reason ?? {},
		)) {
			near(
				a.requests_per_s_by_reason?.[reason],
				value,
				0.5,
				`${what} requests/s ${reason}`,
			);
		}

		near(
			a.spec_decode_acceptance_rate,
			b.spec_decode_acceptance_rate,
			0.1,
			`${what} spec acceptance rate`,
		);
		near(
			a.spec_decode_mean_acceptance_length,
			b.spec_decode_mean_acceptance_length,
			0.1,
			`${what} spec mean acceptance length`,
		);
	}
}

test(
	'the fleet from direct scraping and from --prometheus agree on status, alerts, gauges, rates, engines, models, cache config and capacity',
	{timeout: 90_000},
	async t => {
		if (!prometheusInstalled()) {
			t.skip('prometheus not installed: apt-get install prometheus');
			return;
		}

		const simulators: Simulator[] = [];
		let prometheus: PrometheusServer | undefined;
		let clock: NodeJS.Timeout | undefined;
		const scrapeClient = createScrapeClient({timeoutMs: 3000});
		try {
			// Two data-parallel engines (with spec decode and LoRA), an overloaded server, a V0 server (no engine label,
			// V0 names) and a sleeping one.
			for (const extra of [
				{scenario: 'steady', engines: 2},
				{scenario: 'overload'},
				{scenario: 'steady', legacyV0: true},
				{scenario: 'sleep'},
			] as const) {
				simulators.push(
					await startSimulator({
						port: 0,
						host: '127.0.0.1',
						seed: 7,
						timeScale: 0,
						...extra,
					}),
				);
			}

			// 61 s into its cycle the sleep scenario's engine is at sleep level 1, and stays there for the whole test.
			simulators[3]!.advance(61);
			// The sim clocks move only while this runs, so the load can be frozen for an exact gauge comparison.
			clock = setInterval(() => {
				for (const simulator of simulators) {
					simulator.advance(0.1);
				}
			}, 100);
			prometheus = await startPrometheus(
				simulators.map(simulator => `127.0.0.1:${simulator.port}`),
			);
			const client = createPrometheusClient({
				url: prometheus.url,
				timeoutMs: 5000,
			});
			const session = createPrometheusSession({
				client,
				match: '{job="vllm"}',
				intervalMs: 1000,
				windowSeconds: 60,
				alertConfig: gaugeAlertConfig,
				rateWindow: '5s',
				backfillSeconds: 30,
			});
			const built = buildTargets(simulators.map(simulator => simulator.url));
			assert.ok(built.ok);
			const direct = createMonitorSession({
				targets: built.targets,
				clientFor: () => scrapeClient,
				intervalMs: 1000,
				windowSeconds: 60,
				alertConfig: gaugeAlertConfig,
			});
			// Both targets up in Prometheus, with enough scrapes for a 5 s rate.
			const deadline = Date.now() + 30_000;
			for (;;) {
				const answer = await client.query(
					'count_over_time(up{job="vllm"}[10s])',
				);
				if (
					answer.ok &&
					answer.series.length === simulators.length &&
					answer.series.every(series => (series.points[0]?.[1] ?? 0) >= 7)
				) {
					break;
				}

				assert.ok(
					Date.now() < deadline,
					'Prometheus did not scrape every simulator in 30 s',
				);

				await sleep(500);
			}

			// Rates while the load runs: direct over 3 s, Prometheus over 5 s.
			await direct.scrapeAllOnce();
			await sleep(3000);
			await direct.scrapeAllOnce({instant: true});
			await session.scrapeAllOnce({instant: true});
			let viaProm = session.store.get().targets;
			let viaDirect = direct.store.get().targets;
			assert.equal(
				viaProm.length,
				simulators.length,
				'every instance discovered',
			);
			for (const view of viaProm) {
				const same = viaDirect.find(
					candidate => port(candidate) === port(view),
				);
				assert.ok(same?.snapshot && view.snapshot, `instance ${view.name}`);
				close(
					view.snapshot.signals.generation_tokens_per_s,
					same.snapshot.signals.generation_tokens_per_s,
					0.35,
					`${view.name} gen tok/s`,
				);
				close(
					view.snapshot.signals.prompt_tokens_per_s,
					same.snapshot.signals.prompt_tokens_per_s,
					0.5,
					`${view.name} prompt tok/s`,
				);
				assert.deepEqual(
					view.snapshot.server.models,
					same.snapshot.server.models,
				);
				compareWindowed(view.name, view.snapshot, same.snapshot);
				// The sleeping engine served nothing Prometheus has seen, so it has no quantile.
				assert.ok(
					port(view) === String(simulators[3]!.port) ||
						(view.snapshot.signals.ttft_seconds?.p95 !== null &&
							view.snapshot.signals.ttft_seconds?.p95 !== undefined),
					'TTFT p95 from histogram_quantile',
				);
				// Backfilled: the sparkline opens with the last 30 s, not one point.
				const filled = view.history.requests_running.filter(
					point => point !== null,
				).length;
				assert.ok(filled >= 10, `${view.name}: ${filled} backfilled points`);
			}

			// Freeze the load; once Prometheus has scraped the frozen pages, gauges must match exactly.
			clearInterval(clock);
			clock = undefined;
			await sleep(2500);
			await direct.scrapeAllOnce({instant: true});
			await session.scrapeAllOnce({instant: true});
			viaProm = session.store.get().targets;
			viaDirect = direct.store.get().targets;
			for (const view of viaProm) {
				const same = viaDirect.find(
					candidate => port(candidate) === port(view),
				);
				assert.ok(same?.snapshot && view.snapshot);
				const a = view.snapshot.signals;
				const b = same.snapshot.signals;
				assert.equal(
					a.requests_running,
					b.requests_running,
					`${view.name} running`,
				);
				assert.equal(
					a.requests_waiting,
					b.requests_waiting,
					`${view.name} waiting`,
				);
				close(a.kv_cache_usage, b.kv_cache_usage, 1e-6, `${view.name} KV`);
				assert.equal(
					a.cpu_kv_cache_usage,
					b.cpu_kv_cache_usage,
					`${view.name} CPU KV`,
				);
				assert.deepEqual(
					a.requests_waiting_by_reason,
					b.requests_waiting_by_reason,
					`${view.name} waiting by reason`,
				);
				assert.equal(a.sleep_state, b.sleep_state, `${view.name} sleep state`);
				assert.deepEqual(a.lora, b.lora, `${view.name} LoRA`);
				// A histogram with nothing observed in the window is all nulls, no histogram at all is null.
				assert.deepEqual(
					a.ttft_seconds === null,
					b.ttft_seconds === null,
					`${view.name} TTFT present`,
				);
				assert.equal(
					view.snapshot.status,
					same.snapshot.status,
					`${view.name} status`,
				);
				// What the server is: engines, models, generation, start, cache config and the KV pool behind capacity.
				// No metric carries the vLLM version (only `/version` does), so Prometheus mode leaves it null.
				assert.deepEqual(
					{...view.snapshot.server, version: same.snapshot.server.version},
					same.snapshot.server,
					`${view.name} server`,
				);
				assert.deepEqual(
					view.snapshot.cache_config,
					same.snapshot.cache_config,
					`${view.name} cache config`,
				);
				assert.ok(
					view.snapshot.cache_config,
					`${view.name} has a cache config`,
				);
				assert.equal(
					view.snapshot.capacity?.kv_pool_tokens,
					same.snapshot.capacity?.kv_pool_tokens,
					`${view.name} KV pool`,
				);
				assert.equal(
					view.snapshot.capacity?.headroom_tokens,
					same.snapshot.capacity?.headroom_tokens,
					`${view.name} headroom`,
				);
				assert.equal(
					typeof view.snapshot.capacity?.concurrency_ceiling,
					'number',
					`${view.name} concurrency ceiling`,
				);
				// Engine and model rows with the same gauges as direct scraping.
				const gauges = (signals: Snapshot['signals']) => [
					signals.requests_running,
					signals.requests_waiting,
					signals.requests_waiting_by_reason,
					signals.sleep_state,
					signals.lora,
				];
				const rows = (snapshot: Snapshot) => [
					...snapshot.per_engine.map(row => [
						`engine ${row.engine}`,
						...gauges(row.signals),
					]),
					...snapshot.per_model.map(row => [
						`model ${row.model}`,
						...gauges(row.signals),
					]),
				];
				assert.deepEqual(
					rows(view.snapshot),
					rows(same.snapshot),
					`${view.name} engine and model rows`,
				);
				for (const [index, row] of view.snapshot.per_engine.entries()) {
					close(
						row.signals.kv_cache_usage,
						same.snapshot.per_engine[index]?.signals.kv_cache_usage,
						1e-6,
						`${view.name} engine ${row.engine} KV`,
					);
				}

				assert.deepEqual(
					view.snapshot.alerts.map(alert => [alert.id, alert.state]),
					same.snapshot.alerts.map(alert => [alert.id, alert.state]),
					`${view.name} alerts`,
				);
			}

			const byPort = (simulator: Simulator) =>
				viaProm.find(view => view.name.endsWith(`:${simulator.port}`))
					?.snapshot;
			assert.deepEqual(byPort(simulators[0]!)?.server.engines, ['0', '1']);
			assert.equal(byPort(simulators[0]!)?.server.generation, 'v1');
			assert.equal(byPort(simulators[2]!)?.server.generation, 'v0');
			assert.equal(byPort(simulators[2]!)?.server.version, null);
			// What the comparisons above cover is really there, not null on both sides.
			const steady = byPort(simulators[0]!)?.signals;
			assert.equal(steady?.sleep_state, 'awake');
			assert.equal(steady?.lora?.max, 4, 'LoRA max from the label');
			assert.ok(steady?.requests_waiting_by_reason, 'waiting by reason');
			assert.ok(
				(steady?.spec_decode_acceptance_rate ?? 0) > 0 &&
					(steady?.spec_decode_mean_acceptance_length ?? 0) > 1,
				'spec decode',
			);
			assert.ok(
				Object.keys(steady?.requests_per_s_by_reason ?? {}).includes('stop'),
				'requests/s by finished reason',
			);
			assert.equal(
				byPort(simulators[3]!)?.signals.sleep_state,
				'weights_offloaded',
			);
			assert.equal(byPort(simulators[2]!)?.signals.sleep_state, null);
			const overload = viaProm.find(view =>
				view.name.endsWith(`:${simulators[1]!.port}`),
			);
			assert.ok(
				(overload?.snapshot?.signals.requests_waiting ?? 0) > 0,
				'overload has a queue',
			);
			assert.equal(overload?.snapshot?.status, 'warn', 'overload backlog');
			await client.close();
		} finally {
			if (clock) {
				clearInterval(clock);
			}

			await prometheus?.stop();
			await Promise.all(simulators.map(async simulator => simulator.stop()));
			await scrapeClient.close();
		}
	},
);
