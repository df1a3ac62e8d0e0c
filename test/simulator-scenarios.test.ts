import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Labels, Page} from '../source/parse/page.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {scenarios} from '../source/simulator/scenarios.js';
import {
	scenarioNames,
	type Simulator,
	startSimulator,
} from '../source/simulator/simulator-server.js';

async function scrape(simulator: Simulator): Promise<Page> {
	const response = await fetch(`${simulator.url}/metrics`, {
		signal: AbortSignal.timeout(10_000),
	});
	assert.equal(response.status, 200);
	const result = parseExposition(await response.text(), 'text');
	assert.ok(result.ok, result.ok ? '' : `line ${result.line}: ${result.error}`);
	return result.page;
}

/** Sum of the samples called `name` whose labels include `labels`. */
function total(page: Page, name: string, labels: Labels = {}): number {
	const samples = page.byName.get(name) ?? [];
	assert.ok(samples.length > 0, `${name} is on the page`);
	return samples
		.filter(sample =>
			Object.entries(labels).every(
				([key, value]) => sample.labels[key] === value,
			),
		)
		.reduce((sum, sample) => sum + sample.value, 0);
}

async function withSimulator(
	options: Parameters<typeof startSimulator>[0],
	body: (simulator: Simulator) => Promise<void>,
): Promise<void> {
	const simulator = await startSimulator({seed: 1, timeScale: 0, ...options});
	try {
		await body(simulator);
	} finally {
		await simulator.stop();
	}
}

test(
	'steady: tokens move, nothing queues, KV cache partly used, spec decode and LoRA visible',
	{timeout: 60_000},
	async () => {
		await withSimulator({scenario: 'steady'}, async simulator => {
			simulator.advance(40);
			const before = await scrape(simulator);
			simulator.advance(10);
			const after = await scrape(simulator);
			const generated =
				total(after, 'vllm:generation_tokens_total') -
				total(before, 'vllm:generation_tokens_total');
			assert.ok(generated > 10_000, `generated ${generated} tokens in 10 s`);
			assert.ok(
				total(after, 'vllm:prompt_tokens_total') >
					total(before, 'vllm:prompt_tokens_total'),
			);
			assert.ok(total(after, 'vllm:num_requests_waiting') <= 5);
			const kv = total(after, 'vllm:kv_cache_usage_perc');
			assert.ok(kv > 0.1 && kv < 0.95, `kv ${kv}`);
			assert.ok(total(after, 'vllm:spec_decode_num_accepted_tokens_total') > 0);
			assert.ok(total(after, 'vllm:prefix_cache_hits_total') > 0);
			assert.equal(
				total(after, 'vllm:engine_sleep_state', {sleep_state: 'awake'}),
				1,
			);
			assert.equal(
				after.byName.get('vllm:lora_requests_info')?.[0]?.labels['max_lora'],
				'4',
			);
			assert.equal(
				total(after, 'vllm:request_success_total', {finished_reason: 'error'}),
				0,
			);
			assert.equal(
				after.byName.get('vllm:request_success_total')?.length,
				5,
				'all five finish reasons pre-created',
			);
		});
	},
);

test(
	'kv-pressure: the pool fills and requests get preempted',
	{timeout: 60_000},
	async () => {
		await withSimulator({scenario: 'kv-pressure'}, async simulator => {
			simulator.advance(70);
			const page = await scrape(simulator);
			assert.ok(total(page, 'vllm:num_preemptions_total') > 0);
			assert.ok(total(page, 'vllm:kv_cache_usage_perc') > 0.9);
		});
	},
);

test(
	'overload: the queue grows and TTFT lands in the high buckets',
	{timeout: 60_000},
	async () => {
		await withSimulator({scenario: 'overload'}, async simulator => {
			simulator.advance(20);
			const early = total(await scrape(simulator), 'vllm:num_requests_waiting');
			simulator.advance(40);
			const page = await scrape(simulator);
			const late = total(page, 'vllm:num_requests_waiting');
			assert.ok(late > early && late > 500, `waiting ${early} -> ${late}`);
			const count = total(page, 'vllm:time_to_first_token_seconds_count');
			const underTen = total(page, 'vllm:time_to_first_token_seconds_bucket', {
				le: '10',
			});
			assert.ok(
				count - underTen > count / 3,
				`${count - underTen} of ${count} TTFTs above 10 s`,
			);
		});
	},
);

test(
	'restart: /health says 503, then counters start again from zero',
	{timeout: 60_000},
	async () => {
		await withSimulator({scenario: 'restart'}, async simulator => {
			simulator.advance(110);
			const before = total(
				await scrape(simulator),
				'vllm:generation_tokens_total',
			);
			simulator.advance(12);
			const health = await fetch(`${simulator.url}/health`, {
				signal: AbortSignal.timeout(5000),
			});
			assert.equal(health.status, 503);
			simulator.advance(20);
			const after = total(
				await scrape(simulator),
				'vllm:generation_tokens_total',
			);
			assert.ok(after < before, `generation tokens ${before} -> ${after}`);
			const healthy = await fetch(`${simulator.url}/health`);
			assert.equal(healthy.status, 200);
		});
	},
);

test(
	'restart() from a test resets counters at once',
	{timeout: 30_000},
	async () => {
		await withSimulator({scenario: 'steady'}, async simulator => {
			simulator.advance(10);
			assert.ok(
				total(await scrape(simulator), 'vllm:generation_tokens_total') > 0,
			);
			simulator.restart();
			assert.equal(
				total(await scrape(simulator), 'vllm:generation_tokens_total'),
				0,
			);
			simulator.advance(5);
			assert.ok(
				total(await scrape(simulator), 'vllm:generation_tokens_total') > 0,
			);
		});
	},
);

test(
	'sleep: the awake gauge drops to 0 and throughput stops, then it wakes up',
	{timeout: 60_000},
	async () => {
		await withSimulator({scenario: 'sleep'}, async simulator => {
			simulator.advance(65);
			const asleep = await scrape(simulator);
			assert.equal(
				total(asleep, 'vllm:engine_sleep_state', {sleep_state: 'awake'}),
				0,
			);
			assert.equal(
				total(asleep, 'vllm:engine_sleep_state', {
					sleep_state: 'weights_offloaded',
				}),
				1,
			);
			assert.equal(total(asleep, 'vllm:kv_cache_usage_perc'), 0);
			simulator.advance(10);
			const still = await scrape(simulator);
			assert.equal(
				total(still, 'vllm:generation_tokens_total'),
				total(asleep, 'vllm:generation_tokens_total'),
			);
			simulator.advance(30);
			const awake = await scrape(simulator);
			assert.equal(
				total(awake, 'vllm:engine_sleep_state', {sleep_state: 'awake'}),
				1,
			);
			assert.ok(
				total(awake, 'vllm:generation_tokens_total') >
					total(still, 'vllm:generation_tokens_total'),
			);
		});
	},
);

async function flakyOutcomes(seed: number): Promise<string[]> {
	const outcomes: string[] = [];
	await withSimulator(
		{scenario: 'flaky', seed, flakyHangMs: 3000},
		async simulator => {
			simulator.advance(5);
			for (let index = 0; index < 30; index++) {
				try {
					const response = await fetch(`${simulator.url}/metrics`, {
						signal: AbortSignal.timeout(1000),
					});
					await response.arrayBuffer();
					outcomes.push(String(response.status));
				} catch (error) {
					outcomes.push(
						error instanceof Error && error.name === 'TimeoutError'
							? 'hang'
							: 'dropped',
					);
				}
			}
		},
	);
	return outcomes;
}

test(
	'flaky: some scrapes hang, fail or drop, the same ones for the same seed',
	{timeout: 60_000},
	async () => {
		const first = await flakyOutcomes(4);
		assert.ok(first.includes('200'));
		assert.ok(
			first.some(outcome => outcome !== '200'),
			first.join(','),
		);
		assert.ok(
			new Set(first).size >= 3,
			`several kinds of failure: ${first.join(',')}`,
		);
		assert.deepEqual(await flakyOutcomes(4), first);
	},
);

test(
	'burst: two data-parallel engines, each with its own engine label',
	{timeout: 60_000},
	async () => {
		await withSimulator({scenario: 'burst'}, async simulator => {
			simulator.advance(70);
			const page = await scrape(simulator);
			assert.ok(total(page, 'vllm:generation_tokens_total', {engine: '0'}) > 0);
			assert.ok(total(page, 'vllm:generation_tokens_total', {engine: '1'}) > 0);
			assert.equal(page.byName.get('vllm:cache_config_info')?.length, 2);
			assert.ok(
				total(page, 'vllm:num_requests_running') > 50,
				'the spike is on',
			);
		});
	},
);

test(
	'long-prompts: max_model_len 32768 shows in the token buckets and in /v1/models',
	{timeout: 60_000},
	async () => {
		await withSimulator({scenario: 'long-prompts'}, async simulator => {
			simulator.advance(30);
			const page = await scrape(simulator);
			const bounds = (
				page.byName.get('vllm:request_prompt_tokens_bucket') ?? []
			).map(sample => sample.labels['le']);
			assert.ok(bounds.includes('20000'));
			assert.ok(
				total(page, 'vllm:request_prompt_tokens_sum') /
					total(page, 'vllm:request_prompt_tokens_count') >
					1500,
			);
			const response = await fetch(`${simulator.url}/v1/models`);
			const models: unknown = await response.json();
			assert.ok(JSON.stringify(models).includes('"max_model_len":32768'));
		});
	},
);

test(
	'setScenario switches the load without resetting counters',
	{timeout: 60_000},
	async () => {
		await withSimulator({scenario: 'steady'}, async simulator => {
			simulator.advance(10);
			const before = total(
				await scrape(simulator),
				'vllm:generation_tokens_total',
			);
			simulator.setScenario('overload');
			assert.equal(simulator.scenario, 'overload');
			simulator.advance(20);
			const page = await scrape(simulator);
			assert.ok(total(page, 'vllm:generation_tokens_total') > before);
			assert.ok(total(page, 'vllm:num_requests_waiting') > 100);
		});
	},
);

test(
	'restart on the wall clock: 503, then refused connections, then a fresh server on the same port',
	{timeout: 30_000},
	async () => {
		// At 10x the 503 phase lasts 0.5 s and the refusals 1 s: wide enough for a loaded machine.
		await withSimulator(
			{scenario: 'restart', timeScale: 10},
			async simulator => {
				simulator.advance(115);
				const seen: string[] = [];
				const deadline = performance.now() + 8000;
				while (performance.now() < deadline) {
					let outcome: string;
					try {
						const response = await fetch(`${simulator.url}/health`, {
							signal: AbortSignal.timeout(1000),
						});
						await response.arrayBuffer();
						outcome = String(response.status);
					} catch {
						outcome = 'refused';
					}

					if (seen.at(-1) !== outcome) {
						seen.push(outcome);
					}

					if (seen.join(',').includes('503,refused,200')) {
						break;
					}

					await new Promise(resolve => {
						setTimeout(resolve, 15);
					});
				}

				assert.ok(
					seen.join(',').includes('200,503,refused,200'),
					seen.join(','),
				);
				const page = await scrape(simulator);
				assert.ok(
					total(page, 'vllm:generation_tokens_total') < 200_000,
					'counters started again',
				);
			},
		);
	},
);

/*
Each scenario does what its description says on the server it is run as: V1 as written, V0 (one engine, no
speculative decoding) and two data-parallel engines. The load follows the server's capacity, so each engine sees
the described load.
*/
const variants = [
	['V1', {}],
	['V0', {legacyV0: true}],
	['V1 with 2 engines', {engines: 2}],
] as const;

/** Whichever of the names the page has (V1 and V0 name some gauges differently). */
function named(page: Page, ...names: string[]): string {
	const found = names.find(name => page.byName.has(name));
	assert.ok(found, `one of ${names.join(', ')} is on the page`);
	return found;
}

/** The KV cache use of the engines, averaged. */
function kvUse(page: Page): number {
	const name = named(
		page,
		'vllm:kv_cache_usage_perc',
		'vllm:gpu_cache_usage_perc',
	);
	return total(page, name) / page.byName.get(name)!.length;
}

const tokens = (page: Page) => total(page, 'vllm:generation_tokens_total');
const waiting = (page: Page) => total(page, 'vllm:num_requests_waiting');
const running = (page: Page) => total(page, 'vllm:num_requests_running');

async function healthStatus(simulator: Simulator): Promise<number> {
	const response = await fetch(`${simulator.url}/health`, {
		signal: AbortSignal.timeout(5000),
	});
	await response.arrayBuffer();
	return response.status;
}

type Check = (simulator: Simulator, engines: number) => Promise<void>;

const described: Readonly<Record<string, Check>> = {
	async steady(simulator, engines) {
		simulator.advance(90);
		const page = await scrape(simulator);
		assert.ok(waiting(page) <= 5 * engines, `waiting ${waiting(page)}`);
		const kv = kvUse(page);
		assert.ok(kv > 0.3 && kv < 0.85, `KV ${kv}: about 60 % full`);
	},
	async burst(simulator) {
		simulator.advance(55);
		const quiet = await scrape(simulator);
		assert.equal(waiting(quiet), 0);
		simulator.advance(22);
		const spike = await scrape(simulator);
		assert.ok(
			running(spike) + waiting(spike) > 3 * Math.max(1, running(quiet)),
			`running ${running(quiet)} -> ${running(spike)}, waiting ${waiting(spike)}`,
		);
	},
	async 'kv-pressure'(simulator) {
		simulator.advance(90);
		const page = await scrape(simulator);
		assert.ok(kvUse(page) > 0.9, `KV ${kvUse(page)}`);
		assert.ok(total(page, 'vllm:num_preemptions_total') > 0);
	},
	async overload(simulator, engines) {
		simulator.advance(30);
		const early = waiting(await scrape(simulator));
		simulator.advance(30);
		const page = await scrape(simulator);
		assert.ok(
			waiting(page) > early && waiting(page) > 200,
			`waiting ${early} -> ${waiting(page)}`,
		);
		assert.equal(running(page), 32 * engines, 'max_num_seqs 32 per engine');
	},
	async 'long-prompts'(simulator, engines) {
		simulator.advance(90);
		const page = await scrape(simulator);
		const prompt =
			total(page, 'vllm:request_prompt_tokens_sum') /
			total(page, 'vllm:request_prompt_tokens_count');
		assert.ok(prompt > 2000, `mean prompt ${prompt} tokens`);
		assert.ok(waiting(page) <= 5 * engines, `waiting ${waiting(page)}`);
	},
	async restart(simulator) {
		simulator.advance(110);
		const before = tokens(await scrape(simulator));
		simulator.advance(12);
		assert.equal(await healthStatus(simulator), 503);
		// Refusing connections follows the wall clock only, so with the clock frozen the port stays open.
		simulator.advance(20);
		assert.equal(await healthStatus(simulator), 200);
		const after = tokens(await scrape(simulator));
		assert.ok(after < before, `generation tokens ${before} -> ${after}`);
	},
	async flaky(simulator, engines) {
		simulator.advance(120);
		const pages: Page[] = [];
		let failed = 0;
		for (let attempt = 0; attempt < 20; attempt++) {
			const page = await scrape(simulator).catch(() => undefined);
			if (page === undefined) {
				failed++;
			} else {
				pages.push(page);
			}
		}

		assert.ok(failed > 0 && pages.length > 0, `${failed} of 20 scrapes failed`);
		const page = pages[0]!;
		// vLLM V0 counts no finished_reason "error"; V1 does.
		if (!page.byName.has('vllm:gpu_cache_usage_perc')) {
			assert.ok(
				total(page, 'vllm:request_success_total', {finished_reason: 'error'}) >
					0,
				'some requests error',
			);
		}

		assert.ok(waiting(page) <= 5 * engines, `waiting ${waiting(page)}`);
	},
	async sleep(simulator) {
		simulator.advance(65);
		const asleep = await scrape(simulator);
		assert.equal(running(asleep), 0);
		simulator.advance(10);
		assert.equal(tokens(await scrape(simulator)), tokens(asleep));
		simulator.advance(30);
		assert.ok(tokens(await scrape(simulator)) > tokens(asleep));
	},
};

for (const name of scenarioNames) {
	test(
		`${name}: ${scenarios[name].description}, in V1, V0 and with 2 engines`,
		{timeout: 120_000},
		async () => {
			const check = described[name];
			assert.ok(check, `a check for ${name}`);
			for (const [label, options] of variants) {
				const engines = 'engines' in options ? options.engines : 1;

				await withSimulator(
					{scenario: name, flakyHangMs: 50, ...options},
					async simulator => {
						await check(simulator, engines).catch((error: unknown) => {
							throw new Error(
								`${label}: ${error instanceof Error ? error.message : String(error)}`,
							);
						});
					},
				);
			}
		},
	);
}
