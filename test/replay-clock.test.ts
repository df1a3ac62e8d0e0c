import assert from 'node:assert/strict';
import {performance} from 'node:perf_hooks';
import {describe, test} from 'node:test';
import type {RecordedEntry} from '../source/record/record-line.js';
import {
	createReplayer,
	maxReplayDelayMs,
	replayDelayMs,
	type Replayer,
} from '../source/record/replay-clock.js';
import {parseSpeed, type ReplaySpeed} from '../source/record/replay-speed.js';
import {sampleResult} from './support/recorded-results.js';

const testOptions = {timeout: 15_000};

/** `count` scrapes recorded `gapMs` apart, as a source that says when it was closed. */
function recording(
	count: number,
	gapMs: number,
): {
	readonly entries: RecordedEntry[];
	readonly source: AsyncIterable<RecordedEntry>;
	readonly closed: () => boolean;
} {
	const entries: RecordedEntry[] = Array.from({length: count}, (_, index) => ({
		type: 'scrape',
		name: 'n',
		result: {...sampleResult(index, 100), at: 1_000_000 + index * gapMs},
	}));
	let closed = false;
	async function* source(): AsyncGenerator<RecordedEntry> {
		try {
			for (const entry of entries) {
				await Promise.resolve();
				yield entry;
			}
		} finally {
			closed = true;
		}
	}

	return {entries, source: source(), closed: () => closed};
}

type Run = {
	readonly replayer: Replayer;
	readonly fed: number[];
	readonly ended: () => number;
	readonly errors: string[];
};

function replay(
	source: AsyncIterable<RecordedEntry>,
	speed: ReplaySpeed,
	onRecord?: () => void,
): Run {
	const fed: number[] = [];
	const errors: string[] = [];
	let ends = 0;
	const replayer = createReplayer({
		source,
		speed,
		onRecord(_name, result) {
			fed.push(result.at);
			onRecord?.();
		},
		onEnd() {
			ends++;
		},
		onError(message) {
			errors.push(message);
		},
	});
	return {replayer, fed, ended: () => ends, errors};
}

async function waitFor(
	condition: () => boolean,
	timeoutMs = 3000,
): Promise<void> {
	const deadline = performance.now() + timeoutMs;
	while (!condition()) {
		if (performance.now() > deadline) {
			throw new Error(`condition not met within ${timeoutMs} ms`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 5);
		});
	}
}

async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

describe('replay delay', () => {
	test('scales the recorded gap by the speed, caps long gaps, and never goes negative', () => {
		assert.equal(replayDelayMs(0, 2000, 1), 2000);
		assert.equal(replayDelayMs(0, 60_000, 60), 1000);
		assert.equal(replayDelayMs(0, 5000, 10), 500);
		assert.equal(replayDelayMs(0, 1000, 'max'), 0);
		assert.equal(replayDelayMs(0, 3_600_000, 1), maxReplayDelayMs);
		assert.equal(replayDelayMs(0, 3_600_000, 60), maxReplayDelayMs);
		assert.equal(replayDelayMs(5000, 4000, 1), 0);
		assert.equal(replayDelayMs(5000, 5000, 1), 0);
	});

	test('parses --speed', () => {
		for (const [text, speed] of [
			['1', 1],
			['10', 10],
			['60', 60],
			['2.5', 2.5],
			['10x', 10],
			['max', 'max'],
			[' MAX ', 'max'],
		] as const) {
			assert.deepEqual(parseSpeed(text), {ok: true, speed}, text);
		}

		for (const text of [
			'0',
			'-1',
			'fast',
			'',
			'x',
			'1e3',
			'Infinity',
			'1.2.3',
			'1000000',
		]) {
			const parsed = parseSpeed(text);
			assert.equal(parsed.ok, false, text);
			assert.equal(
				parsed.ok ? '' : parsed.error,
				`--speed ${JSON.stringify(text)} is not a speed; give a factor such as 1, 10 or 60, or max`,
			);
		}
	});
});

describe('replayer', () => {
	test(
		'at max speed feeds every record in order, then ends once and closes the source',
		testOptions,
		async () => {
			const {entries, source, closed} = recording(500, 1000);
			const run = replay(source, 'max');
			await waitFor(() => run.ended() > 0);
			assert.deepEqual(
				run.fed,
				entries.map(entry => (entry.type === 'scrape' ? entry.result.at : 0)),
			);
			assert.equal(run.replayer.position, 1_000_000 + 499 * 1000);
			assert.ok(run.replayer.ended);
			assert.ok(closed());
			await sleep(20);
			assert.equal(run.ended(), 1);
		},
	);

	test(
		'feeds meta records to onMeta on the same clock',
		testOptions,
		async () => {
			const entries: RecordedEntry[] = [
				{
					type: 'meta',
					name: 'a',
					meta: {at: 10, url: 'http://a', version: '0.11.0'},
				},
				{type: 'scrape', name: 'a', result: {...sampleResult(0, 10), at: 20}},
			];
			async function* source(): AsyncGenerator<RecordedEntry> {
				yield* entries;
			}

			const seen: string[] = [];
			let ended = false;
			createReplayer({
				source: source(),
				speed: 'max',
				onRecord(name, result) {
					seen.push(`scrape ${name} ${result.at}`);
				},
				onMeta(name, meta) {
					seen.push(`meta ${name} ${meta.version ?? ''}`);
				},
				onEnd() {
					ended = true;
				},
			});
			await waitFor(() => ended);
			assert.deepEqual(seen, ['meta a 0.11.0', 'scrape a 20']);
		},
	);

	test(
		'waits the recorded gaps divided by the speed',
		testOptions,
		async () => {
			// 1 s apart at 10x: 100 ms between records, 400 ms for five.
			const {source} = recording(5, 1000);
			const started = performance.now();
			const times: number[] = [];
			const run = replay(source, 10, () => {
				times.push(performance.now() - started);
			});
			await waitFor(() => run.ended() > 0);
			assert.equal(run.fed.length, 5);
			assert.ok((times[0] ?? Infinity) < 50, `first fed after ${times[0]} ms`);
			for (let index = 1; index < times.length; index++) {
				const gap = (times[index] ?? 0) - (times[index - 1] ?? 0);
				assert.ok(gap >= 90 && gap < 400, `gap ${index} was ${gap} ms`);
			}
		},
	);

	test(
		'pause holds, step feeds one record at a time, resume plays on',
		testOptions,
		async () => {
			const {source} = recording(4, 100);
			const run = replay(source, 1);
			run.replayer.pause();
			assert.ok(run.replayer.paused);
			await sleep(250);
			assert.deepEqual(run.fed, []);
			run.replayer.step();
			await waitFor(() => run.fed.length === 1);
			await sleep(150);
			assert.equal(run.fed.length, 1, 'a step feeds one record only');
			run.replayer.step();
			await waitFor(() => run.fed.length === 2);
			await sleep(150);
			assert.equal(run.fed.length, 2);
			run.replayer.resume();
			assert.ok(!run.replayer.paused);
			await waitFor(() => run.ended() > 0);
			assert.deepEqual(run.fed, [1_000_000, 1_000_100, 1_000_200, 1_000_300]);
		},
	);

	test(
		'pausing mid-wait holds the next record until resumed',
		testOptions,
		async () => {
			const {source} = recording(2, 300);
			const run = replay(source, 1);
			await waitFor(() => run.fed.length === 1);
			await sleep(100);
			run.replayer.pause();
			await sleep(400);
			assert.equal(run.fed.length, 1);
			const resumedAt = performance.now();
			run.replayer.resume();
			await waitFor(() => run.fed.length === 2);
			// About 200 ms of the 300 ms gap was left when it was paused.
			assert.ok(performance.now() - resumedAt < 290);
		},
	);

	test(
		'jump feeds every record within N recorded seconds without waiting, playing or paused',
		testOptions,
		async () => {
			const {source, closed} = recording(40, 1000);
			const run = replay(source, 1);
			await waitFor(() => run.fed.length === 1);
			run.replayer.jump(10);
			await waitFor(() => run.fed.length === 11, 1000);
			assert.equal(run.replayer.position, 1_010_000);
			await sleep(200);
			assert.equal(
				run.fed.length,
				11,
				'after the jump the 1 s gaps apply again',
			);

			run.replayer.pause();
			run.replayer.jump(5);
			await waitFor(() => run.fed.length === 16, 1000);
			await sleep(100);
			assert.equal(run.fed.length, 16, 'still paused after the jump');

			run.replayer.stop();
			await waitFor(closed);
			run.replayer.step();
			run.replayer.resume();
			await sleep(100);
			assert.equal(run.fed.length, 16, 'nothing is fed after stop');
			assert.equal(run.ended(), 0, 'stop is not an end');
		},
	);

	test(
		'a jump asked for before the first record applies from that record',
		testOptions,
		async () => {
			const {source} = recording(10, 1000);
			const run = replay(source, 1);
			run.replayer.jump(3);
			await waitFor(() => run.fed.length === 4, 1000);
			run.replayer.stop();
		},
	);

	test('a faster speed cuts the current wait short', testOptions, async () => {
		// 10 s gaps at 1x are capped at 5 s of waiting each.
		const {source} = recording(3, 10_000);
		const run = replay(source, 1);
		await waitFor(() => run.fed.length === 1);
		await sleep(50);
		const changedAt = performance.now();
		run.replayer.setSpeed('max');
		assert.equal(run.replayer.speed, 'max');
		await waitFor(() => run.ended() > 0, 1000);
		assert.ok(performance.now() - changedAt < 500);
		assert.equal(run.fed.length, 3);
	});

	test(
		'stop while waiting clears the timer so the process can exit',
		testOptions,
		async () => {
			const {source, closed} = recording(3, 10_000);
			const run = replay(source, 1);
			await waitFor(() => run.fed.length === 1);
			run.replayer.stop();
			await waitFor(closed);
			assert.equal(run.fed.length, 1);
		},
	);

	test(
		'a throwing source or callback is reported, not a crash',
		testOptions,
		async () => {
			async function* broken(): AsyncGenerator<RecordedEntry> {
				yield {type: 'scrape', name: 'n', result: sampleResult(0, 10)};
				throw new Error('disk went away');
			}

			let calls = 0;
			const run = replay(broken(), 'max', () => {
				calls++;
				throw new Error('pipeline bug');
			});
			await waitFor(() => run.ended() > 0);
			assert.equal(calls, 1);
			assert.deepEqual(run.errors, [
				'replay: pipeline bug',
				'replay: disk went away',
			]);
		},
	);
});
