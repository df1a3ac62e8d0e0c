import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {
	arrivalOffsets,
	gapVariation,
} from '../source/bench/arrival-schedule.js';
import {startFakeOpenAi} from './support/fake-openai.js';
import {cliMissing, runCli} from './support/run-cli.js';

/** A field of parsed JSON. */
function field(value: unknown, key: string): unknown {
	return typeof value === 'object' && value !== null
		? Reflect.get(value, key)
		: undefined;
}

test('Poisson gaps vary like an exponential (CV 1), gamma with burstiness 0.25 like CV 2', () => {
	for (const seed of [1, 2, 3]) {
		assert.ok(
			Math.abs(gapVariation(arrivalOffsets(2000, 50, 1, seed)) - 1) <= 0.1,
		);
		assert.ok(
			Math.abs(gapVariation(arrivalOffsets(2000, 50, 0.25, seed)) - 2) <= 0.2,
		);
	}

	const offsets = arrivalOffsets(2000, 50, 1, 4);
	// The mean rate is the asked one.
	assert.ok(Math.abs(2000 / offsets.at(-1)! - 50) < 5);
	assert.deepEqual(arrivalOffsets(5, 50, 1, 9), arrivalOffsets(5, 50, 1, 9));
	assert.deepEqual(
		arrivalOffsets(3, Number.POSITIVE_INFINITY, 1, 1),
		[0, 0, 0],
	);
});

test(
	'requests leave on schedule: the start times of a 2000-request Poisson run keep a CV near 1',
	{skip: cliMissing, timeout: 90_000},
	async () => {
		const server = await startFakeOpenAi('ok');
		const directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-arrivals-'));
		try {
			const saved = path.join(directory, 'run.json');
			const run = await runCli(
				[
					'bench',
					server.url,
					'-n',
					'2000',
					'--request-rate',
					'100',
					'--input-len',
					'4',
					'--output-len',
					'4',
					'--plain',
					'--save-result',
					saved,
					'--save-detailed',
				],
				{timeoutMs: 80_000},
			);
			assert.equal(run.code, 0, run.stderr);
			const result: unknown = JSON.parse(readFileSync(saved, 'utf8'));
			const list = field(result, 'start_times');
			assert.ok(Array.isArray(list));
			const starts = list.map(Number).toSorted((a, b) => a - b);
			assert.equal(starts.length, 2000);
			const offsets = starts.map(start => start - starts[0]!).slice(1);
			const variation = gapVariation(offsets);
			// The schedule itself is checked to 0.1 above; here a loaded test machine's timer jitter comes on top.
			assert.ok(Math.abs(variation - 1) <= 0.25, `CV ${variation}`);
		} finally {
			await server.close();
			rmSync(directory, {recursive: true, force: true});
		}
	},
);
