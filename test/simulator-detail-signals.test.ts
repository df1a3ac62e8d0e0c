/**
The simulator's counterparts of the detail signals: `kvOffload` puts vLLM's OffloadingConnector families on the page
and feeds the external prefix cache, every page has the API server's HTTP answers, and a scenario with failing
requests reports 5xx answers and corrupted requests. Read through the monitor's own derive stage, over real HTTP.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Signals} from '../source/catalog/signal-types.js';
import {deriveSnapshot} from '../source/derive/derive-snapshot.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {
	type SimulatorOptions,
	startSimulator,
} from '../source/simulator/simulator-server.js';

/** Two scrapes 5 sim seconds apart after a warm-up, derived as the monitor derives them. */
async function signalsOf(options: SimulatorOptions): Promise<Signals> {
	const simulator = await startSimulator({
		seed: 3,
		timeScale: 0,
		flakyHangMs: 50,
		...options,
	});
	try {
		simulator.advance(60);
		let memory;
		let observation;
		for (const step of [0, 1]) {
			let text: string | undefined;
			// `flaky` fails some scrapes on purpose; the clock stands still, so a retry reads the same page.
			for (let attempt = 0; attempt < 40 && text === undefined; attempt++) {
				try {
					const response = await fetch(`${simulator.url}/metrics`, {
						signal: AbortSignal.timeout(5000),
					});
					const body = await response.text();
					text = response.status === 200 ? body : undefined;
				} catch {
					// Dropped on purpose by `flaky`: scrape again.
				}
			}

			assert.ok(text, 'a scrape got through');
			const parsed = parseExposition(text, 'text');
			assert.ok(parsed.ok);
			({memory, observation} = deriveSnapshot(memory, {
				page: parsed.page,
				at: Date.parse('2026-12-03T12:00:00Z') + step * 5000,
				target: 'sim',
				windowSeconds: 60,
			}));
			simulator.advance(5);
		}

		assert.ok(observation);
		return observation.signals;
	} finally {
		await simulator.stop();
	}
}

test('kvOffload: load and store traffic, CPU tier use and external prefix hits', async () => {
	const signals = await signalsOf({scenario: 'steady', kvOffload: true});
	assert.ok((signals.kv_offload_store_bytes_per_s ?? 0) > 1e6);
	assert.ok((signals.kv_offload_load_bytes_per_s ?? 0) > 0);
	assert.ok((signals.kv_offload_store_seconds_per_s ?? 0) > 0);
	const usage = signals.kv_offload_cpu_cache_usage;
	assert.ok(usage !== null && usage > 0 && usage <= 1);
	assert.equal(signals.kv_offload_allocation_failures_per_s, 0);
	const external = signals.external_prefix_cache_hit_rate;
	assert.ok(external !== null && external > 0.3 && external < 0.7);
});

test('without kvOffload the offload signals stay null and the external cache sees nothing', async () => {
	const signals = await signalsOf({scenario: 'steady'});
	assert.equal(signals.kv_offload_store_bytes_per_s, null);
	assert.equal(signals.kv_offload_cpu_cache_usage, null);
	assert.equal(signals.external_prefix_cache_hit_rate, null);
	assert.ok((signals.http_requests_per_s_by_status?.['2xx'] ?? 0) > 0);
	assert.equal(signals.corrupted_requests_per_s, null);
	const tokens = signals.batch_tokens;
	assert.ok(tokens?.p50 !== null && (tokens?.p50 ?? 0) > 0);
	assert.ok((signals.prompt_length_tokens?.p50 ?? 0) > 0);
	assert.ok((signals.generation_length_tokens?.p50 ?? 0) > 0);
});

test('kv-pressure with offload: preempted requests find the CPU tier full', async () => {
	const signals = await signalsOf({scenario: 'kv-pressure', kvOffload: true});
	assert.ok((signals.kv_offload_allocation_failures_per_s ?? 0) > 0);
	assert.ok((signals.kv_offload_cpu_cache_usage ?? 0) > 0.4);
});

test('flaky: failing requests are 5xx answers and corrupted requests', async () => {
	const signals = await signalsOf({scenario: 'flaky'});
	const byStatus = signals.http_requests_per_s_by_status;
	assert.ok(byStatus, 'HTTP answers by status');
	assert.ok((byStatus['5xx'] ?? 0) > 0);
	assert.ok((byStatus['2xx'] ?? 0) > (byStatus['5xx'] ?? 0));
	assert.ok((signals.corrupted_requests_per_s ?? 0) > 0);
});
