import assert from 'node:assert/strict';
import {test} from 'node:test';
import {findKnee, sweepRates, type SweepStep} from '../source/bench/sweep.js';
import {sweepText} from '../source/bench/sweep-text.js';
import {saturationRate} from '../source/simulator/saturation.js';
import {scenarios} from '../source/simulator/scenarios.js';
import {cliMissing, runCli, startCli} from './support/run-cli.js';

function step(
	rate: number | undefined,
	achieved: number,
	goodShare?: number,
): SweepStep {
	return {
		label: rate === undefined ? 'throughput' : 'constant',
		rate,
		achieved,
		ttftP99Ms: 100,
		tpotP99Ms: 10,
		completed: 10,
		failed: 0,
		goodShare,
	};
}

test('the knee is the highest rate kept up with (and meeting the SLOs), and the table marks it', () => {
	assert.deepEqual(sweepRates(1, 10, 3), [4, 7, 10]);
	// Past saturation the achieved rate flattens: the knee is what was sustained, not what was offered.
	const steps = [step(undefined, 9.5), step(4, 4), step(7, 6.9), step(10, 8)];
	assert.deepEqual(findKnee(steps, 0.95), {step: 3, rate: 8});
	// With SLOs, the last rate that met them.
	const slo = [step(4, 4, 1), step(7, 7, 0.99), step(10, 8, 0.5)];
	assert.deepEqual(findKnee(slo, 0.95), {step: 1, rate: 7});
	assert.equal(findKnee([step(4, 4, 0.2)], 0.95), undefined);
	const text = sweepText(slo, findKnee(slo, 0.95), true);
	assert.match(text, /constant\s+7\.0\s+7\.0 .*<- knee/);
	assert.match(text, /knee: 7\.0 req\/s/);
});

test(
	'a sweep against the simulator finds a knee within 25 % of its true saturation rate',
	{skip: cliMissing, timeout: 120_000},
	async () => {
		const timeScale = 0.5;
		const simulator = startCli(
			[
				'simulate',
				'--no-traffic',
				'--scenario',
				'overload',
				'--time-scale',
				String(timeScale),
				'--port',
				'0',
			],
			{timeoutMs: 110_000},
		);
		try {
			const line = await simulator.waitForLine(text =>
				text.includes('listening on'),
			);
			const url = /http:\/\/[\d.:]+/.exec(line)![0];
			const run = await runCli(
				[
					'bench',
					url,
					'--sweep',
					'--sweep-steps',
					'4',
					'--duration',
					'4',
					'--input-len',
					'100',
					'--output-len',
					'100',
					'--json',
				],
				{timeoutMs: 100_000},
			);
			assert.equal(run.code, 0, run.stderr);
			const result: unknown = JSON.parse(run.stdout);
			const knee = Number(
				typeof result === 'object' && result !== null
					? Reflect.get(result, 'knee')
					: Number.NaN,
			);
			const truth = saturationRate(scenarios.overload, 100, 100) * timeScale;
			assert.ok(
				Math.abs(knee - truth) <= 0.25 * truth,
				`knee ${knee} req/s, saturation ${truth} req/s\n${run.stderr}`,
			);
		} finally {
			await simulator.stop('SIGINT');
		}
	},
);
