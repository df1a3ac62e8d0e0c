/**
Pages shaped like today's servers, built from vLLM's metric definitions: speculative decoding, a prefix cache at 97 %
hits, a hybrid attention/mamba model, a handful of requests, a V1 page without engine labels, and invalid UTF-8.
Each is served over loopback and read the three ways a user reads it: `--once --json`, the plain line, the screen.
*/
import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {z} from 'zod';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {formatPlainLine} from '../source/format/plain-line.js';
import {ingestScrape} from '../source/pipeline/ingest-scrape.js';
import {initialTargetState} from '../source/pipeline/target-reducer.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {createStore} from '../source/store/store.js';
import {initialMonitorState} from '../source/store/monitor-state.js';
import type {TargetView} from '../source/store/target-view.js';
import {App} from '../source/ui/app.js';
import {renderTerminal} from './support/render-terminal.js';
import {noActions} from './support/no-actions.js';
import {startHttpServer, type TestServer} from './support/http-server.js';
import {cliMissing, runCli} from './support/run-cli.js';
import {
	basePage,
	counter,
	gauge,
	histogram,
	itlBuckets,
	type Labels,
} from './support/vllm-page.js';

const model = {model_name: 'Qwen/Qwen3-8B'};
const engine0 = {...model, engine: '0'};

/** A page per scrape: counters grow with `step`, so every window sees the same increases. */
type Shape = (step: number) => string | Buffer;

const shapes: Readonly<Record<string, Shape>> = {
	specDecode(step) {
		const labels = engine0;
		return [
			...basePage(labels, step),
			counter(
				'vllm:spec_decode_num_drafts',
				'Number of spec decoding drafts.',
				[[labels, 10_000 * step]],
			),
			counter('vllm:spec_decode_num_draft_tokens', 'Number of draft tokens.', [
				[labels, 30_000 * step],
			]),
			counter(
				'vllm:spec_decode_num_accepted_tokens',
				'Number of accepted tokens.',
				[[labels, 17_000 * step]],
			),
			counter(
				'vllm:spec_decode_num_accepted_tokens_per_pos',
				'Accepted tokens per draft position.',
				[
					[{...labels, position: '0'}, 8000 * step],
					[{...labels, position: '1'}, 6000 * step],
					[{...labels, position: '2'}, 3000 * step],
				],
			),
			// Engine steps of several tokens: 45 ms each; per request 18 ms a token.
			histogram(
				'vllm:inter_token_latency_seconds',
				'Histogram of inter-token latency in seconds.',
				labels,
				itlBuckets,
				{value: 0.045, count: 1000 * step},
			),
			histogram(
				'vllm:request_time_per_output_token_seconds',
				'Histogram of time_per_output_token_seconds per request.',
				labels,
				itlBuckets,
				{value: 0.018, count: 100 * step},
			),
		].join('\n');
	},
	prefixHits(step) {
		const labels = engine0;
		return [
			...basePage(labels, step),
			counter('vllm:prompt_tokens', 'Number of prefill tokens processed.', [
				[labels, 100_000 * step],
			]),
			counter(
				'vllm:prompt_tokens_by_source',
				'Number of prompt tokens by source.',
				[
					[{...labels, source: 'local_compute'}, 3000 * step],
					[{...labels, source: 'local_cache_hit'}, 97_000 * step],
					[{...labels, source: 'external_kv_transfer'}, 0],
				],
			),
			counter(
				'vllm:prefix_cache_queries',
				'Prefix cache queries, in terms of number of queried tokens.',
				[[labels, 100_000 * step]],
			),
			counter(
				'vllm:prefix_cache_hits',
				'Prefix cache hits, in terms of number of cached tokens.',
				[[labels, 97_000 * step]],
			),
		].join('\n');
	},
	hybrid(step) {
		const labels = engine0;
		return [
			...basePage(labels, step),
			counter('vllm:prompt_tokens', 'Number of prefill tokens processed.', [
				[labels, 470_000 * step],
			]),
			gauge(
				'vllm:cache_config_info',
				'Information of the LLMEngine CacheConfig',
				[
					[
						{
							block_size: '16',
							cache_dtype: 'auto',
							enable_prefix_caching: 'True',
							engine: '0',
							gpu_memory_utilization: '0.9',
							mamba_block_size: '65536',
							num_gpu_blocks: '144',
						},
						1,
					],
				],
			),
		].join('\n');
	},
	fewRequests(step) {
		const labels = engine0;
		return [
			...basePage(labels, step),
			counter(
				'vllm:prefix_cache_queries',
				'Prefix cache queries, in terms of number of queried tokens.',
				[[labels, 123 * step]],
			),
			counter(
				'vllm:prefix_cache_hits',
				'Prefix cache hits, in terms of number of cached tokens.',
				[[labels, 10 * step]],
			),
		].join('\n');
	},
	noEngineLabel(step) {
		const labels: Labels = model;
		return [
			...basePage(labels, step),
			histogram(
				'vllm:inter_token_latency_seconds',
				'Histogram of inter-token latency in seconds.',
				labels,
				itlBuckets,
				{value: 0.02, count: 1000 * step},
			),
		].join('\n');
	},
	badUtf8: () =>
		Buffer.concat([
			Buffer.from(
				'# HELP vllm:num_requests_running Number of requests in model execution batches.\n# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{model_name="',
			),
			Buffer.from([0xc3, 0x28]),
			Buffer.from('"} 1\n'),
		]),
};

const steps = new Map<string, number>();
const server: TestServer = await startHttpServer((request, response) => {
	const name = (request.url ?? '').split('/')[1] ?? '';
	const shape = shapes[name];
	if (shape === undefined) {
		response.writeHead(404).end();
		return;
	}

	const step = (steps.get(name) ?? 0) + 1;
	steps.set(name, step);
	response.writeHead(200, {
		'content-type': 'text/plain; version=0.0.4; charset=utf-8',
	});
	response.end(shape(step));
});
after(async () => {
	await server.close();
});

const urlOf = (name: string) => `${server.url}/${name}/metrics`;

/** Two scrapes through the live pipeline, five seconds apart in the recorded time. */
async function watch(name: string): Promise<TargetView> {
	const client = createScrapeClient();
	try {
		let state = initialTargetState(name, urlOf(name));
		for (const offset of [0, 5000]) {
			const result = await client.scrape(urlOf(name));
			state = ingestScrape(
				state,
				{...result, at: Date.parse('2026-12-03T12:00:00Z') + offset},
				{windowSeconds: 60, alertConfig: defaultAlertConfig},
			);
		}

		return state.view;
	} finally {
		await client.close();
	}
}

function screen(view: TargetView): string {
	const store = createStore(initialMonitorState([view]));
	const terminal = renderTerminal(
		<App
			store={store}
			actions={noActions}
			size={{columns: 120, rows: 40}}
			now={() => view.lastScrape?.at ?? 0}
		/>,
		{columns: 120, rows: 40},
	);
	try {
		return stripVTControlCharacters(terminal.lastFrame());
	} finally {
		terminal.unmount();
	}
}

const documentSchema = z.looseObject({
	status: z.string(),
	error: z.string().nullable(),
	server: z.looseObject({generation: z.string().nullable()}),
	signals: z.record(z.string(), z.unknown()),
	cache_config: z.record(z.string(), z.unknown()).nullable(),
	capacity: z.record(z.string(), z.unknown()).nullable(),
	alerts: z.array(z.looseObject({id: z.string()})),
});

async function once(name: string) {
	const result = await runCli(['--once', '--json', '-i', '0.5', urlOf(name)]);
	return {
		code: result.code,
		document: documentSchema.parse(JSON.parse(result.stdout)),
	};
}

const ids = (alerts: ReadonlyArray<{id: string}>) => alerts.map(a => a.id);

describe('--once --json', {skip: cliMissing, timeout: 60_000}, () => {
	test('spec decode: judged on per-request TPOT (under the limit), ITL per step beside it', async () => {
		const {document} = await once('specDecode');
		const signals = z
			.object({
				itl_seconds: z.object({p95: z.number()}),
				tpot_seconds: z.object({p95: z.number(), p90: z.number()}),
				spec_decode_acceptance_rate: z.number(),
				spec_decode_mean_acceptance_length: z.number(),
				spec_decode_acceptance_by_position: z.record(z.string(), z.number()),
			})
			.parse(document.signals);
		assert.ok(signals.itl_seconds.p95 > 0.03, 'step ITL is over the limit');
		assert.ok(signals.tpot_seconds.p95 < 0.03, 'per-request TPOT is under it');
		assert.ok(!ids(document.alerts).includes('itl_p95_high'));
		assert.equal(signals.spec_decode_acceptance_rate.toFixed(3), '0.567');
		assert.equal(signals.spec_decode_mean_acceptance_length.toFixed(1), '2.7');
		assert.deepEqual(signals.spec_decode_acceptance_by_position, {
			0: 0.8,
			1: 0.6,
			2: 0.3,
		});
	});

	test('97 % prefix hits: prompt tokens kept, computed prefill beside them', async () => {
		const {document} = await once('prefixHits');
		const signals = z
			.object({
				prompt_tokens_per_s: z.number(),
				prefill_tokens_per_s: z.number(),
				prompt_tokens_by_source_per_s: z.record(z.string(), z.number()),
				prefix_cache_hit_rate: z.number(),
			})
			.parse(document.signals);
		assert.equal(
			Math.round(signals.prompt_tokens_per_s / signals.prefill_tokens_per_s),
			33,
		);
		assert.equal(signals.prefix_cache_hit_rate, 0.97);
		assert.deepEqual(Object.keys(signals.prompt_tokens_by_source_per_s), [
			'local_compute',
			'local_cache_hit',
			'external_kv_transfer',
		]);
	});

	test('hybrid model: no pool, no suggestion, the reason; the product is kept apart from a stated size', async () => {
		const {document} = await once('hybrid');
		assert.equal(document.cache_config?.['kv_cache_size_tokens'], null);
		assert.equal(document.cache_config?.['block_tokens'], 2304);
		assert.equal(document.cache_config?.['mamba_block_size'], 65_536);
		assert.equal(document.capacity?.['kv_pool_tokens'], null);
		assert.equal(document.capacity?.['suggested_max_num_seqs'], null);
		assert.match(
			String(document.capacity?.['kv_pool_unknown']),
			/^KV pool unknown for hybrid models/u,
		);
	});

	test('6 requests with a low hit rate: below the minimum volume, no alert', async () => {
		const {document} = await once('fewRequests');
		assert.ok(Number(document.signals['prefix_cache_hit_rate']) < 0.4);
		assert.ok(Number(document.signals['prefix_cache_queried_tokens']) < 10_000);
		assert.ok(!ids(document.alerts).includes('prefix_cache_low'));
		const strict = await runCli([
			'--once',
			'--json',
			'-i',
			'0.5',
			'--threshold',
			'prefix_cache_low.min_queried_tokens=100',
			urlOf('fewRequests'),
		]);
		const judged = documentSchema.parse(JSON.parse(strict.stdout));
		assert.ok(ids(judged.alerts).includes('prefix_cache_low'));
	});

	test('V1 without engine labels or _created: V1 from its V1-only families', async () => {
		const {document} = await once('noEngineLabel');
		assert.equal(document.server.generation, 'v1');
	});

	test('invalid UTF-8 in a label value: down, the line in the error', async () => {
		const {code, document} = await once('badUtf8');
		assert.equal(code, 3);
		assert.match(String(document.error), /line 3: not valid UTF-8/u);
	});
});

describe('the plain line and the screen', {timeout: 60_000}, () => {
	test('spec decode', async () => {
		const view = await watch('specDecode');
		const line = formatPlainLine(view);
		assert.match(line, /ITL\/step p95: 49ms/u);
		assert.match(line, /TPOT p95: 24ms/u);
		assert.match(line, /Accepted by position: 0 80\.0% · 1 60\.0% · 2 30\.0%/u);
		assert.match(line, /Alerts: --/u);
		const text = screen(view);
		assert.match(text, /^ITL\/step +\S+ +\S+ +49ms/mu);
		assert.match(text, /^TPOT +\S+ +\S+ +24ms/mu);
		assert.match(text, /spec decode accepted 56\.7% · mean length 2\.7/u);
	});

	test('97 % prefix hits', async () => {
		const view = await watch('prefixHits');
		const line = formatPlainLine(view);
		assert.match(line, /Prompt: 20k tok\/s/u);
		assert.match(line, /Prefill: 600 tok\/s/u);
		assert.match(line, /Prefix hit: 97\.0%/u);
		const text = screen(view);
		assert.match(
			text,
			/prefix hit 97\.0% · prompt tok\/s: prefill 600 · cache hit 19\.4k/u,
		);
		assert.match(text, /Tokens\/s +prefill 600/u);
	});

	test('hybrid model', async () => {
		const text = screen(await watch('hybrid'));
		assert.match(text, /Capacity KV pool unknown for hybrid models/u);
		assert.doesNotMatch(text, /suggest --max-num-seqs/u);
	});

	test('6 requests', async () => {
		const view = await watch('fewRequests');
		assert.match(formatPlainLine(view), /Alerts: --/u);
		assert.doesNotMatch(screen(view), /prefix cache hit rate/u);
	});

	test('V1 without engine labels', async () => {
		assert.match(screen(await watch('noEngineLabel')), /V1/u);
	});

	test('invalid UTF-8', async () => {
		const view = await watch('badUtf8');
		assert.match(formatPlainLine(view), /Error: .*line 3: not valid UTF-8/u);
		assert.match(screen(view), /line 3: not valid UTF-8/u);
	});
});

test('the simulator makes these shapes: --spec-decode on any scenario, --hybrid', async () => {
	const {startSimulator} =
		await import('../source/simulator/simulator-server.js');
	const simulator = await startSimulator({
		scenario: 'burst',
		specDecode: true,
		hybrid: true,
		timeScale: 0,
		seed: 3,
		startTimeMs: Date.parse('2026-12-03T12:00:00Z'),
	});
	const client = createScrapeClient();
	try {
		const url = `${simulator.url}/metrics`;
		let state = initialTargetState('sim', url);
		for (const at of [60, 90]) {
			simulator.advance(at - simulator.simTime);

			const result = await client.scrape(url);
			state = ingestScrape(
				state,
				{...result, at: Date.parse('2026-12-03T12:00:00Z') + at * 1000},
				{windowSeconds: 60, alertConfig: defaultAlertConfig},
			);
		}

		const snapshot = state.view.snapshot!;
		assert.equal(
			Object.keys(snapshot.signals.spec_decode_acceptance_by_position ?? {})
				.length,
			3,
		);
		assert.notEqual(snapshot.signals.tpot_seconds?.p95 ?? null, null);
		assert.notEqual(snapshot.signals.prefill_tokens_per_s, null);
		assert.equal(snapshot.cache_config?.mamba_block_size, 65_536);
		assert.equal(snapshot.capacity?.kv_pool_tokens, null);
		const text = screen(state.view);
		assert.match(text, /spec decode accepted/u);
		assert.match(text, /KV pool unknown for hybrid models/u);
		assert.match(text, /^ITL\/step /mu);
	} finally {
		await client.close();
		await simulator.stop();
	}
});
