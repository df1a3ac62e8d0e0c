import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runBounded} from '../source/scrape/run-bounded.js';

async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

test(
	'keeps at most `limit` tasks in flight and returns results in task order',
	{timeout: 10_000},
	async () => {
		let active = 0;
		let maxActive = 0;
		const tasks = Array.from({length: 10}, (_, index) => async () => {
			active++;
			maxActive = Math.max(maxActive, active);
			await sleep(10 + ((index * 7) % 5) * 5);
			active--;
			return index * 2;
		});
		const results = await runBounded(tasks, 3);
		assert.deepEqual(results, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
		assert.equal(maxActive, 3);
	},
);

test(
	'runs every task even when one rejects, then rethrows the first rejection',
	{timeout: 10_000},
	async () => {
		const ran: number[] = [];
		const tasks = [0, 1, 2, 3].map(index => async () => {
			await sleep(5);
			ran.push(index);
			if (index === 1) {
				throw new Error('task 1 failed');
			}

			return index;
		});
		await assert.rejects(runBounded(tasks, 2), /task 1 failed/u);
		assert.deepEqual(
			ran.toSorted((a, b) => a - b),
			[0, 1, 2, 3],
		);
	},
);

test(
	'handles no tasks and treats a bad limit as 1',
	{timeout: 10_000},
	async () => {
		assert.deepEqual(await runBounded([], 4), []);
		let active = 0;
		let maxActive = 0;
		const task = async () => {
			active++;
			maxActive = Math.max(maxActive, active);
			await sleep(5);
			active--;
			return 'ok';
		};

		assert.deepEqual(await runBounded([task, task, task], Number.NaN), [
			'ok',
			'ok',
			'ok',
		]);
		assert.equal(maxActive, 1);
		assert.deepEqual(await runBounded([task, task], 0), ['ok', 'ok']);
	},
);
