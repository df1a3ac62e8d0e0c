import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {startPoller} from '../source/scrape/poller.js';
import {createStore} from '../source/store/store.js';

const testOptions = {timeout: 15_000};

async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

test(
	'runs at once, then again after the interval, never overlapping slow runs',
	testOptions,
	async () => {
		let active = 0;
		let maxActive = 0;
		const starts: number[] = [];
		const poller = startPoller({
			intervalMs: () => 20,
			async run() {
				starts.push(performance.now());
				active++;
				maxActive = Math.max(maxActive, active);
				await sleep(60);
				active--;
			},
		});
		await sleep(10);
		assert.equal(
			starts.length,
			1,
			'the first run starts without waiting for an interval',
		);
		await sleep(300);
		poller.stop();
		assert.equal(maxActive, 1);
		assert.ok(
			starts.length >= 3 && starts.length <= 6,
			`${starts.length} runs`,
		);
		for (let index = 1; index < starts.length; index++) {
			assert.ok(
				starts[index]! - starts[index - 1]! >= 59,
				'a run starts only after the previous one ended',
			);
		}
	},
);

test(
	'reads the interval each cycle, so a change applies from the next wait',
	testOptions,
	async () => {
		let interval = 200;
		let runs = 0;
		const poller = startPoller({
			intervalMs: () => interval,
			async run() {
				runs++;
			},
		});
		await sleep(50);
		assert.equal(runs, 1);
		interval = 20;
		await sleep(400);
		// The 200 ms wait already armed ends at ~200 ms; after that, runs come every 20 ms.
		poller.stop();
		assert.ok(runs >= 6, `only ${runs} runs after shortening the interval`);
		const afterStop = runs;
		await sleep(100);
		assert.equal(runs, afterStop, 'no run after stop()');
	},
);

test(
	'a shorter interval cuts the pending wait short: the wait is measured again from the last start',
	testOptions,
	async () => {
		const store = createStore({intervalMs: 60_000});
		const starts: number[] = [];
		const poller = startPoller({
			intervalMs: () => store.get().intervalMs,
			subscribe: store.subscribe,
			async run() {
				starts.push(performance.now());
			},
		});
		await sleep(100);
		assert.equal(starts.length, 1);
		store.set({intervalMs: 50});
		await sleep(20);
		assert.equal(
			starts.length,
			2,
			'over 50 ms since the last start: runs at once',
		);
		store.set({intervalMs: 400});
		store.set({intervalMs: 100_000});
		store.set({intervalMs: 300});
		await sleep(150);
		assert.equal(starts.length, 2, 'the 300 ms wait is not yet over');
		await sleep(250);
		poller.stop();
		assert.equal(starts.length, 3);
		assert.ok(starts[2]! - starts[1]! >= 295, 'measured from the last start');
		store.set({intervalMs: 10});
		await sleep(50);
		assert.equal(starts.length, 3, 'no run after stop()');
	},
);

test(
	'now() runs at once instead of waiting, but not while a run is in flight',
	testOptions,
	async () => {
		let runs = 0;
		let release: (() => void) | undefined;
		const poller = startPoller({
			intervalMs: () => 10_000,
			async run() {
				runs++;
				await new Promise<void>(resolve => {
					release = resolve;
				});
			},
		});
		await sleep(10);
		assert.equal(runs, 1);
		poller.now();
		await sleep(10);
		assert.equal(runs, 1, 'now() during a run must not start a second one');
		release!();
		await sleep(10);
		poller.now();
		await sleep(10);
		assert.equal(runs, 2, 'now() cuts the 10 s wait short');
		release!();
		poller.stop();
	},
);

test(
	'stop() aborts the run in flight through its signal',
	testOptions,
	async () => {
		let seen: AbortSignal | undefined;
		const poller = startPoller({
			intervalMs: () => 10,
			async run(signal) {
				seen = signal;
				await sleep(50);
			},
		});
		await sleep(5);
		assert.equal(seen?.aborted, false);
		poller.stop();
		assert.equal(seen?.aborted, true);
	},
);

test('a rejecting run does not end the loop', testOptions, async () => {
	let runs = 0;
	const poller = startPoller({
		intervalMs: () => 10,
		async run() {
			runs++;
			throw new Error('boom');
		},
	});
	await sleep(100);
	poller.stop();
	assert.ok(runs >= 3, `${runs} runs`);
});

test(
	'after stop() no timer is left: the process exits by itself',
	testOptions,
	() => {
		const pollerModule = fileURLToPath(
			new URL('../source/scrape/poller.ts', import.meta.url),
		);
		const script = `
		import {startPoller} from ${JSON.stringify(pollerModule)};
		let runs = 0;
		const poller = startPoller({intervalMs: () => 5_000, run: async () => { runs++; }});
		setTimeout(() => { poller.now(); setTimeout(() => { poller.stop(); console.log('runs=' + runs); }, 20); }, 20);
	`;
		const started = performance.now();
		const child = spawnSync(
			process.execPath,
			['--import', 'tsx', '--input-type=module', '--eval', script],
			{
				encoding: 'utf8',
				timeout: 10_000,
			},
		);
		const elapsed = performance.now() - started;
		assert.equal(child.error, undefined);
		assert.equal(child.status, 0, child.stderr);
		assert.equal(child.stdout.trim(), 'runs=2');
		assert.ok(
			elapsed < 4000,
			`exited after ${elapsed} ms; a 5 s timer would keep it alive`,
		);
	},
);
