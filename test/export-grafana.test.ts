/**
`vllm-top export grafana`: the dashboard Grafana's typed builders make from the catalog, and, against a real
Prometheus scraping a V1 and a V0 (`--legacy-v0`) simulator, every panel query answers with data (the headline panels
for both generations), with the dashboard's variables filled in as Grafana fills them. The V1 simulator runs `steady`, which drafts
(speculative decoding); V0's spec-decode gauges need a draft model it does not simulate. A third, `flaky` V1
simulator with KV offload has the families only such servers have.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {z} from 'zod';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {dashboardPanels} from '../source/export/dashboard-panels.js';
import {createPrometheusClient} from '../source/prometheus/prometheus-client.js';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {cliMissing, runCli} from './support/run-cli.js';
import {
	prometheusInstalled,
	startPrometheus,
} from './support/prometheus-server.js';

/** The parts of Grafana's dashboard model this test reads. */
const dashboardSchema = z.object({
	templating: z.object({
		list: z.array(
			z.object({
				name: z.string(),
				type: z.string(),
				current: z.object({value: z.string()}).optional(),
			}),
		),
	}),
	panels: z.array(
		z.object({
			title: z.string(),
			gridPos: z.object({
				x: z.number(),
				y: z.number(),
				w: z.number(),
				h: z.number(),
			}),
			targets: z.array(
				z.object({
					refId: z.string(),
					expr: z.string(),
					datasource: z.object({uid: z.string()}),
				}),
			),
			fieldConfig: z.object({
				defaults: z.object({
					thresholds: z
						.object({
							steps: z.array(
								z.object({value: z.number().nullable(), color: z.string()}),
							),
						})
						.optional(),
				}),
			}),
		}),
	),
});

const options = {match: '{job="vllm"}', windowSeconds: 20};

/** What Grafana puts in for the variables with "All" picked, and a rate window of a few scrapes. */
function interpolate(expr: string): string {
	return expr
		.replaceAll('$__rate_interval', '10s')
		.replaceAll('$instance', '.*')
		.replaceAll('$model', '.*');
}

test(
	'the dashboard JSON: the headline panels first, every threshold rule drawn, variables for source, server and model',
	{skip: cliMissing},
	async () => {
		const result = await runCli([
			'export',
			'grafana',
			'--datasource-uid',
			'prom-a',
			'--threshold',
			'kv_cache_pressure.value=0.8',
		]);
		assert.equal(result.code, 0, result.stderr);
		const dashboard = dashboardSchema.parse(JSON.parse(result.stdout));
		assert.deepEqual(
			dashboard.templating.list.map(variable => [variable.name, variable.type]),
			[
				['datasource', 'datasource'],
				['instance', 'query'],
				['model', 'query'],
			],
		);
		assert.equal(dashboard.templating.list[0]?.current?.value, 'prom-a');
		assert.deepEqual(
			dashboard.panels.slice(0, 4).map(panel => panel.title),
			['Latency', 'Tokens/s', 'Requests', 'KV cache'],
		);
		const kv = dashboard.panels[3]!;
		assert.deepEqual(kv.fieldConfig.defaults.thresholds?.steps, [
			{value: null, color: 'green'},
			{value: 0.8, color: 'yellow'},
		]);
		const titles = new Set(dashboard.panels.map(panel => panel.title));
		for (const title of [
			'Preemptions',
			'Prefix hit',
			'Spec decode acceptance',
			'KV cache per engine',
			'Requests/s by reason',
		]) {
			assert.ok(titles.has(title), title);
		}

		for (const panel of dashboard.panels) {
			const refs = panel.targets.map(target => target.refId);
			assert.equal(
				new Set(refs).size,
				refs.length,
				`${panel.title}: refIds repeat`,
			);
			for (const target of panel.targets) {
				assert.equal(target.datasource.uid, `$${'{datasource}'}`);
				assert.match(
					target.expr,
					/instance=~"\$instance",model_name=~"\$model"/v,
				);
			}
		}

		// No two panels overlap on Grafana's 24-column grid.
		const cells = new Set<string>();
		for (const {
			gridPos: {x, y, w, h},
			title,
		} of dashboard.panels) {
			assert.ok(x + w <= 24, title);
			for (let row = y; row < y + h; row++) {
				for (let column = x; column < x + w; column++) {
					const cell = `${row}:${column}`;
					assert.ok(!cells.has(cell), `${title} overlaps at ${cell}`);
					cells.add(cell);
				}
			}
		}
	},
);

test('every panel query of the dashboard returns data from Prometheus scraping V1 and V0 simulators', async t => {
	if (!prometheusInstalled()) {
		t.skip('prometheus not installed: apt-get install prometheus');
		return;
	}

	const [v1, v0, faulty] = await Promise.all([
		startSimulator({
			port: 0,
			host: '127.0.0.1',
			seed: 5,
			timeScale: 5,
			scenario: 'steady',
		}),
		startSimulator({
			port: 0,
			host: '127.0.0.1',
			seed: 6,
			timeScale: 5,
			scenario: 'kv-pressure',
			legacyV0: true,
		}),
		// KV offload and failing requests: the families only such servers have.
		startSimulator({
			port: 0,
			host: '127.0.0.1',
			seed: 7,
			timeScale: 5,
			scenario: 'flaky',
			kvOffload: true,
		}),
	]);
	const targets = [`127.0.0.1:${v1.port}`, `127.0.0.1:${v0.port}`];
	const prometheus = await startPrometheus([
		...targets,
		`127.0.0.1:${faulty.port}`,
	]);
	t.after(async () => {
		await prometheus.stop();
		await Promise.all([v1.stop(), v0.stop(), faulty.stop()]);
	});
	const client = createPrometheusClient({url: prometheus.url, timeoutMs: 5000});
	const panels = dashboardPanels(defaultAlertConfig, options);
	const answered = async (expr: string) => {
		const answer = await client.query(interpolate(expr));
		assert.ok(answer.ok, `${expr}: ${answer.ok ? '' : answer.error}`);
		return new Set(answer.series.map(series => series.labels['instance']));
	};

	// Until every query has its data, or the deadline says which did not.
	const deadline = Date.now() + 60_000;
	let missing: string[] = [];
	for (;;) {
		missing = [];
		for (const panel of panels) {
			for (const query of panel.queries) {
				const instances = await answered(query.expr);
				const wanted = panel.headline
					? targets
					: targets.filter(target => instances.has(target));
				if (
					instances.size === 0 ||
					wanted.some(target => !instances.has(target))
				) {
					missing.push(
						`${panel.title} ${query.signal} (has ${[...instances].join(', ') || 'nothing'})`,
					);
				}
			}
		}

		if (missing.length === 0 || Date.now() > deadline) {
			break;
		}

		await sleep(2000);
	}

	assert.deepEqual(missing, []);
	const servers = await answered(
		`count by (instance) (${panels[2]!.queries[0]!.expr})`,
	);
	for (const target of targets) {
		assert.ok(servers.has(target), `${target} missing from the headline panel`);
	}
});
