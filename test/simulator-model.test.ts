import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	advanceCluster,
	emptyClusterEvents,
	initialClusterState,
} from '../source/simulator/cluster-model.js';
import {
	drawLength,
	sharegptOutput,
	sharegptPrompt,
} from '../source/simulator/length-distribution.js';
import {Prng} from '../source/simulator/prng.js';
import {scenarios} from '../source/simulator/scenarios.js';
import {build125Buckets} from '../source/simulator/vllm-buckets.js';

test('the same seed replays the same server, another seed does not', () => {
	const scenario = scenarios.steady;
	const run = (seed: number) =>
		advanceCluster(
			initialClusterState(scenario, seed, 1),
			scenario,
			20,
			emptyClusterEvents(1),
		);
	const first = run(7);
	assert.deepEqual(run(7), first);
	assert.notDeepEqual(run(8).engines[0]!.counters, first.engines[0]!.counters);
	assert.ok(first.engines[0]!.counters.generationTokens > 0);
});

test('advancing in small slices gives the same state as one big advance', () => {
	const scenario = scenarios.burst;
	const once = advanceCluster(
		initialClusterState(scenario, 3, 2),
		scenario,
		12,
		emptyClusterEvents(2),
	);
	let sliced = initialClusterState(scenario, 3, 2);
	for (let t = 0.5; t <= 12; t += 0.5) {
		sliced = advanceCluster(sliced, scenario, t, emptyClusterEvents(2));
	}

	assert.deepEqual(
		sliced.engines.map(engine => engine.counters),
		once.engines.map(engine => engine.counters),
	);
});

test('the state is not mutated by a step', () => {
	const scenario = scenarios['kv-pressure'];
	const start = advanceCluster(
		initialClusterState(scenario, 1, 1),
		scenario,
		5,
		emptyClusterEvents(1),
	);
	const copy = structuredClone(start);
	advanceCluster(start, scenario, 15, emptyClusterEvents(1));
	assert.deepEqual(start, copy);
});

test('prompt and output lengths are ShareGPT-like: means near 250 and 200, a long tail, within limits', () => {
	const rng = new Prng(11);
	const prompts = Array.from({length: 20_000}, () =>
		drawLength(rng, sharegptPrompt, 8191),
	);
	const outputs = Array.from({length: 20_000}, () =>
		drawLength(rng, sharegptOutput, 8192),
	);
	const mean = (values: number[]) =>
		values.reduce((sum, value) => sum + value, 0) / values.length;
	const median = (values: number[]) =>
		values.toSorted((a, b) => a - b)[values.length / 2]!;
	assert.ok(Math.abs(mean(prompts) - 250) < 20, `prompt mean ${mean(prompts)}`);
	assert.ok(Math.abs(mean(outputs) - 200) < 15, `output mean ${mean(outputs)}`);
	assert.ok(median(prompts) < 200, 'median below the mean: right-skewed');
	assert.ok(
		Math.max(...prompts) > 2000,
		'some prompts are thousands of tokens long',
	);
	assert.ok(Math.min(...prompts) >= 1 && Math.max(...prompts) <= 8191);
});

test('the KV pool is never over-committed and matches the blocks held by running requests', () => {
	for (const name of ['kv-pressure', 'overload', 'long-prompts'] as const) {
		const scenario = scenarios[name];
		let state = initialClusterState(scenario, 5, scenario.engines);
		for (let t = 5; t <= 60; t += 5) {
			state = advanceCluster(
				state,
				scenario,
				t,
				emptyClusterEvents(scenario.engines),
			);
			for (const engine of state.engines) {
				const held = engine.running.reduce(
					(sum, request) => sum + request.blocks,
					0,
				);
				assert.equal(engine.usedBlocks, held, `${name} at ${t}s`);
				assert.ok(
					engine.usedBlocks <= scenario.numGpuBlocks,
					`${name} at ${t}s`,
				);
				assert.ok(
					engine.running.length <= scenario.maxNumSeqs,
					`${name} at ${t}s`,
				);
				assert.ok(engine.waiting.every(request => request.blocks === 0));
			}
		}
	}
});

test('histogram events carry real latencies: TTFT before e2e, queue plus inference equals e2e', () => {
	const scenario = scenarios.steady;
	const events = emptyClusterEvents(1);
	advanceCluster(initialClusterState(scenario, 2, 1), scenario, 20, events);
	const finished = events.perEngine[0]!.finished.filter(
		request => request.reason !== 'abort',
	);
	assert.ok(finished.length > 100);
	for (const request of finished) {
		assert.ok(
			request.ttftSeconds !== undefined &&
				request.ttftSeconds > 0 &&
				request.ttftSeconds <= request.e2eSeconds,
		);
		assert.ok(
			Math.abs(
				request.queueSeconds + request.inferenceSeconds - request.e2eSeconds,
			) < 1e-9,
		);
		assert.ok(request.generatedTokens <= request.generationLimit);
	}

	assert.ok(events.perEngine[0]!.iterationTokens.length > 100);
	assert.ok(
		events.perEngine[0]!.interTokenLatencies.every(
			({seconds}) => seconds > 0.005 && seconds < 1,
		),
	);
});

test('1-2-5 token buckets stop at max_model_len, as vLLM builds them', () => {
	assert.deepEqual(
		build125Buckets(8192),
		[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
	);
	assert.deepEqual(build125Buckets(32_768).slice(-3), [5000, 10_000, 20_000]);
	assert.deepEqual(build125Buckets(2048).at(-1), 2000);
});
