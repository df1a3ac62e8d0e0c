import assert from 'node:assert/strict';
import {mock, test} from 'node:test';
import {startPoller, type Poller} from '../source/scrape/poller.js';
import {waveCount, wavePhase, waveSize} from '../source/session/round-waves.js';

const intervalMs = 5000;
const fleet = 1000;
/** CPU each scrape costs on the one core all scrapes share, in simulated ms. */
const scrapeCostMs = 3;

/** Lets the promise chains the last timers started run to their next await. */
async function settle(): Promise<void> {
	for (let index = 0; index < 5; index++) {
		await Promise.resolve();
	}
}

/** A scrape that queues for the one core, in the order the scrapes started, and notes when it was answered. */
async function simulatedScrape(
	core: {freeAt: number; worstWaitMs: number},
	clock: () => number,
	answered: number[],
): Promise<void> {
	const started = clock();
	core.freeAt = Math.max(core.freeAt, started) + scrapeCostMs;
	const finish = core.freeAt;
	await new Promise(resolve => {
		setTimeout(resolve, finish - started);
	});
	answered.push(clock());
	// After the first round, which starts every target at once.
	if (started > intervalMs * 2) {
		core.worstWaitMs = Math.max(core.worstWaitMs, clock() - started);
	}
}

test('a fleet is split into waves of at most 100 targets, at least a second apart', () => {
	assert.equal(waveCount(1, intervalMs), 1);
	assert.equal(waveCount(100, intervalMs), 1, 'a small fleet is one wave');
	assert.equal(waveCount(101, intervalMs), 2);
	assert.equal(waveCount(1000, intervalMs), 5, 'no closer than a second');
	assert.equal(waveCount(1000, 60_000), 10);
	assert.equal(waveCount(1000, 500), 1);
	const phases = Array.from({length: 250}, (_, index) =>
		wavePhase(index, 250, intervalMs),
	);
	assert.deepEqual([...new Set(phases)], [0, 1 / 3, 2 / 3]);
	for (const phase of new Set(phases)) {
		assert.ok(phases.filter(value => value === phase).length <= waveSize);
	}
});

test('1,000 targets on one simulated core: every scrape answered within a wave of its turn, none late', async () => {
	mock.timers.enable({apis: ['setTimeout', 'Date'], now: 0});
	const clock = () => Date.now();
	const core = {freeAt: 0, worstWaitMs: 0};
	const done: number[][] = Array.from({length: fleet}, () => []);
	const pollers: Poller[] = [];
	try {
		for (let index = 0; index < fleet; index++) {
			pollers.push(
				startPoller({
					intervalMs: () => intervalMs,
					phase: () => wavePhase(index, fleet, intervalMs),
					clock,
					run: async () => simulatedScrape(core, clock, done[index]!),
				}),
			);
		}

		for (let at = 0; at < 12 * intervalMs; at += 10) {
			mock.timers.tick(10);
			await settle();
		}
	} finally {
		for (const poller of pollers) {
			poller.stop();
		}

		mock.timers.reset();
	}

	let late = 0;
	for (const stamps of done) {
		assert.ok(stamps.length >= 11, `${stamps.length} scrapes in 12 intervals`);
		for (let index = 1; index < stamps.length; index++) {
			if (stamps[index]! - stamps[index - 1]! > 1.5 * intervalMs) {
				late++;
			}
		}
	}

	assert.equal(late, 0, 'no gap longer than 1.5 intervals');
	// One wave is 200 scrapes of 3 ms; all 1,000 at once would queue the last for 3 s.
	assert.ok(
		core.worstWaitMs <=
			(fleet / waveCount(fleet, intervalMs)) * scrapeCostMs + 20,
		`a scrape waited ${core.worstWaitMs} ms for the core`,
	);
});

test('the waves keep their places: timers that fire late do not make the runs drift', async () => {
	mock.timers.enable({apis: ['setTimeout', 'Date'], now: 0});
	const starts: number[] = [];
	const poller = startPoller({
		intervalMs: () => intervalMs,
		phase: () => 0.4,
		clock: () => Date.now(),
		async run() {
			starts.push(Date.now());
		},
	});
	try {
		// Ticks of 70 ms: each timer fires up to 70 ms after its time.
		for (let at = 0; at < 10 * intervalMs; at += 70) {
			mock.timers.tick(70);
			await settle();
		}
	} finally {
		poller.stop();
		mock.timers.reset();
	}

	assert.equal(starts[0], 0, 'the first run is at once');
	for (const [round, at] of starts.slice(1).entries()) {
		const planned = (round + 1.4) * intervalMs;
		assert.ok(
			at >= planned && at < planned + 70,
			`run ${round + 1} at ${at}, planned at ${planned}`,
		);
	}
});
