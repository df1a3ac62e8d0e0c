/**
The built CLI against the simulator serving each dialect, over loopback HTTP: `--dialect ray` and `--dialect sglang`
read as vLLM and SGLang in `--once --json`, and `--engines 2 --skew` has the gauge alerts name the busy engine.
*/
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {z} from 'zod';
import {
	type Simulator,
	type SimulatorOptions,
	startSimulator,
} from '../source/simulator/simulator-server.js';
import {cliMissing, parseSnapshot, runCli} from './support/run-cli.js';

/** The parts of the document these tests read, beyond what `parseSnapshot` checks. */
const dialectFields = z.looseObject({
	server: z.looseObject({
		dialect: z.string().nullable(),
		engines: z.array(z.string()),
	}),
	signals: z.record(z.string(), z.unknown()),
	not_judged: z.array(z.object({id: z.string(), reason: z.string()})),
	alerts: z.array(
		z.looseObject({id: z.string(), message: z.string(), hint: z.string()}),
	),
	capacity: z
		.looseObject({
			kv_pool_tokens: z.number().nullable(),
			kv_pool_source: z.string().nullable(),
		})
		.nullable(),
	engine_spread: z
		.record(
			z.string(),
			z.object({
				min: z.number(),
				max: z.number(),
				min_engine: z.string(),
				max_engine: z.string(),
			}),
		)
		.nullable(),
});

async function withSimulator<T>(
	options: SimulatorOptions,
	run: (simulator: Simulator) => Promise<T>,
): Promise<T> {
	const simulator = await startSimulator({
		seed: 5,
		timeScale: 0,
		...options,
	});
	try {
		simulator.advance(120);
		return await run(simulator);
	} finally {
		await simulator.stop();
	}
}

async function onceJson(url: string) {
	const result = await runCli(
		['--once', '--json', '-i', '0.5', '--timeout', '10', url],
		{timeoutMs: 40_000},
	);
	return {
		result,
		document: parseSnapshot(result.stdout),
		fields: dialectFields.parse(JSON.parse(result.stdout)),
	};
}

describe(
	'vllm-top --once on the simulator in each dialect',
	{skip: cliMissing, timeout: 120_000},
	() => {
		test('--dialect ray: a ray_vllm: page reads as vLLM with its engines', async () => {
			await withSimulator(
				{dialect: 'ray', engines: 2, scenario: 'steady'},
				async simulator => {
					const {result, document} = await onceJson(simulator.url);
					assert.equal(result.stderr, '');
					const server = document.server as Record<string, unknown>;
					assert.equal(
						server['dialect'],
						'ray_vllm',
						result.stdout.slice(0, 600),
					);
					assert.equal(server['generation'], 'v1');
					assert.deepEqual(server['engines'], ['0', '1']);
					const {signals} = document;
					assert.equal(typeof signals['requests_running'], 'number');
					assert.equal(typeof signals['kv_cache_usage'], 'number');
					assert.ok(
						!document.alerts.some(alert => alert.id === 'no_vllm_metrics'),
					);
				},
			);
		});

		test('--dialect sglang: the header says SGLang and the rules it cannot judge are listed', async () => {
			await withSimulator(
				{dialect: 'sglang', engines: 2, scenario: 'kv-pressure', timeScale: 10},
				async simulator => {
					const {result, document, fields} = await onceJson(simulator.url);
					assert.equal(fields.server.dialect, 'sglang', result.stdout);
					assert.equal(document.server.version, '0.5.6');
					assert.equal(typeof fields.signals['kv_cache_usage'], 'number');
					assert.equal(typeof fields.signals['requests_waiting'], 'number');
					assert.ok(
						Number(fields.signals['generation_tokens_per_s']) > 0,
						result.stdout,
					);
					assert.deepEqual(
						fields.not_judged.map(rule => rule.id),
						['swapping', 'cpu_kv_overflow', 'server_errors', 'sleeping'],
					);
					// The pool SGLang states, and its flags in the hints.
					assert.equal(fields.capacity?.kv_pool_source, 'stated');
					assert.ok((fields.capacity?.kv_pool_tokens ?? 0) > 0);
					const pressure = fields.alerts.find(
						alert => alert.id === 'kv_cache_pressure',
					);
					assert.match(
						pressure?.hint ?? '',
						/--mem-fraction-static/v,
						result.stdout,
					);
					const text = await runCli(['--once', '-i', '0.5', simulator.url]);
					assert.match(text.stdout, / {2}SGLang 0\.5\.6 {2}/v);
					assert.match(text.stdout, /not judged: swapping/v);
				},
			);
		});

		test('--engines 2 --skew: engine 0 fills while engine 1 idles, and the KV alert names engine 0', async () => {
			await withSimulator(
				{engines: 2, skew: true, scenario: 'kv-pressure'},
				async simulator => {
					const {fields} = await onceJson(simulator.url);
					const kv = fields.engine_spread?.['kv_cache_usage'];
					assert.ok(kv, JSON.stringify(fields.engine_spread));
					assert.equal(kv.max_engine, '0');
					assert.ok(kv.max > 0.9 && kv.min < 0.5, JSON.stringify(kv));
					const pressure = fields.alerts.find(
						alert => alert.id === 'kv_cache_pressure',
					);
					assert.match(pressure?.message ?? '', /^engine 0: KV cache/v);
				},
			);
		});
	},
);
