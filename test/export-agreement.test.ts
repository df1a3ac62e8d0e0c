/**
The exported rules agree with the monitor: a real Prometheus scrapes three simulators (`kv-pressure`, `overload`,
`steady`) with the exported rules loaded, and for each server the set of alerts firing in Prometheus' `ALERTS` equals
the set `vllm-top --once --json` reports firing for it, with the same config. Short `for` durations and a 10x clock
keep the run under a minute.
*/
import assert from 'node:assert/strict';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {z} from 'zod';
import {loadAlertConfigText} from '../source/config/alert-config-file.js';
import {
	buildAlertConfig,
	defaultAlertConfig,
} from '../source/alerts/alert-config.js';
import {exportRules, ruleLabel} from '../source/export/prometheus-rules.js';
import {rulesFileText} from '../source/export/rules-file.js';
import {createPrometheusClient} from '../source/prometheus/prometheus-client.js';
import {
	startSimulator,
	type Simulator,
} from '../source/simulator/simulator-server.js';
import type {ScenarioName} from '../source/simulator/scenarios.js';
import {cliMissing, runCli} from './support/run-cli.js';
import {
	prometheusInstalled,
	startPrometheus,
} from './support/prometheus-server.js';

/** Rules left out of the comparison, with why. */
const excluded: Readonly<Record<string, string>> = {
	saturated: 'not exported: no metric carries --max-num-seqs',
	engine_unhealthy: 'not exported: /health is no metric',
	throughput_drop: '--once has no history to take the recent median of',
	gpu_xid: "not exported: reads the DCGM exporter's GPUs",
	gpu_ecc_uncorrected: "not exported: reads the DCGM exporter's GPUs",
	gpu_throttling: "not exported: reads the DCGM exporter's GPUs",
	gpu_idle_while_waiting: "not exported: reads the DCGM exporter's GPUs",
	gpu_compute_bound: "not exported: reads the DCGM exporter's GPUs",
};

/** Every rule fires after 2 s; preemptions from 10/s, so the steady scenario's odd preemption stays below. */
const configText = [
	'thresholds:',
	'  ttft_p95_high: {for: 2s}',
	'  itl_p95_high: {for: 2s}',
	'  queue_backlog: {for: 2s}',
	'  kv_cache_pressure: {for: 2s}',
	'  preemptions: {value: 10, for: 2s}',
	'  swapping: {for: 2s}',
	'  prefix_cache_low: {for: 2s}',
	'  throughput_drop: {for: 2s, window: 30s}',
	'',
].join('\n');

const scenarios: readonly ScenarioName[] = [
	'kv-pressure',
	'overload',
	'steady',
];

const onceSchema = z.looseObject({
	alerts: z.array(z.looseObject({id: z.string(), state: z.string()})),
});

const compared = (ids: Iterable<string>) =>
	[...ids].filter(id => !Object.hasOwn(excluded, id)).toSorted();

test(
	'Prometheus fires the exported alerts the monitor fires, server by server',
	{skip: cliMissing},
	async t => {
		if (!prometheusInstalled()) {
			t.skip('prometheus not installed: apt-get install prometheus');
			return;
		}

		const folder = await mkdtemp(path.join(tmpdir(), 'vllm-top-agree-'));
		const configFile = path.join(folder, 'alerts.yml');
		await writeFile(configFile, configText);
		const built = buildAlertConfig({
			configFile: {
				path: configFile,
				loaded: loadAlertConfigText(configText, defaultAlertConfig),
			},
			thresholdFlags: [],
			maxNumSeqs: undefined,
		});
		assert.ok(built.ok, built.ok ? '' : built.error);
		const rules = exportRules(built.config, {
			match: '',
			windowSeconds: 10,
			rateWindowSeconds: 10,
		});
		for (const {id} of rules.left) {
			assert.ok(
				Object.hasOwn(excluded, id),
				`${id} is not exported but not named here`,
			);
		}

		const simulators: Simulator[] = await Promise.all(
			scenarios.map(async (scenario, index) =>
				startSimulator({
					port: 0,
					host: '127.0.0.1',
					seed: index + 1,
					timeScale: 10,
					scenario,
				}),
			),
		);
		const targets = simulators.map(simulator => `127.0.0.1:${simulator.port}`);
		const prometheus = await startPrometheus(
			targets,
			1,
			rulesFileText(rules, 'test'),
		);
		t.after(async () => {
			await prometheus.stop();
			await Promise.all(simulators.map(async simulator => simulator.stop()));
			await rm(folder, {recursive: true, force: true});
		});
		const client = createPrometheusClient({
			url: prometheus.url,
			timeoutMs: 5000,
		});

		const firingInPrometheus = async () => {
			const answer = await client.query('ALERTS{alertstate="firing"}');
			assert.ok(answer.ok, answer.ok ? '' : answer.error);
			return (target: string) =>
				compared(
					answer.series
						.filter(series => series.labels['instance'] === target)
						.map(series => series.labels[ruleLabel] ?? ''),
				);
		};

		const firingInMonitor = async (target: string) => {
			const once = await runCli(
				['--once', '--json', '--config', configFile, `http://${target}`],
				{timeoutMs: 30_000},
			);
			const report = onceSchema.parse(JSON.parse(once.stdout));
			return compared(
				report.alerts
					.filter(alert => alert.state === 'firing')
					.map(alert => alert.id),
			);
		};

		// Windows fill and `for` passes; then each server must agree in some round (both sides read a live, noisy load).
		await sleep(15_000);
		const pending = new Map(
			targets.map((target, index) => [target, scenarios[index]!]),
		);
		const last = new Map<string, string>();
		const deadline = Date.now() + 60_000;
		while (pending.size > 0 && Date.now() < deadline) {
			const rounds = await Promise.all(
				[...pending.keys()].map(async target => {
					const monitor = await firingInMonitor(target);
					const inPrometheus = (await firingInPrometheus())(target);
					return {target, monitor, inPrometheus};
				}),
			);
			for (const {target, monitor, inPrometheus} of rounds) {
				if (monitor.join(',') === inPrometheus.join(',')) {
					t.diagnostic(
						`${pending.get(target)}: both fire [${monitor.join(', ')}]`,
					);
					pending.delete(target);
				} else {
					t.diagnostic(
						`${pending.get(target)}: monitor [${monitor.join(', ')}], Prometheus [${inPrometheus.join(', ')}]`,
					);
					last.set(
						target,
						`monitor [${monitor.join(', ')}], Prometheus [${inPrometheus.join(', ')}]`,
					);
				}
			}
		}

		assert.deepEqual(
			[...pending].map(
				([target, scenario]) => `${scenario}: ${last.get(target) ?? ''}`,
			),
			[],
		);
	},
);
