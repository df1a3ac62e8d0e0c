import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	appendBounded,
	appendHistory,
	emptyHistory,
	historyCapacity,
	seriesIds,
} from '../source/pipeline/history.js';

test('an empty history has every sparkline series, each empty', () => {
	const history = emptyHistory();
	assert.deepEqual(Object.keys(history).toSorted(), seriesIds.toSorted());
	for (const id of seriesIds) {
		assert.deepEqual(history[id], []);
	}
});

test('every append adds one point per series: the value, or null where missing or not finite', () => {
	const history = appendHistory(emptyHistory(), {
		kv_cache_usage: 0.5,
		ttft_p95: Number.NaN,
		requests_running: null,
	});
	assert.deepEqual(history.kv_cache_usage, [0.5]);
	assert.deepEqual(history.ttft_p95, [null]);
	assert.deepEqual(history.requests_running, [null]);
	assert.deepEqual(history.prompt_tokens_per_s, [null]);
});

test('history keeps only the newest points, 240 by default, oldest first', () => {
	let history = emptyHistory();
	for (let index = 0; index < 300; index++) {
		history = appendHistory(history, {requests_running: index});
	}

	assert.equal(historyCapacity, 240);
	assert.equal(history.requests_running.length, 240);
	assert.equal(history.requests_running[0], 60);
	assert.equal(history.requests_running.at(-1), 299);
	assert.equal(history.kv_cache_usage.length, 240);
});

test('a custom capacity bounds the history and appending never changes the previous history', () => {
	const first = appendHistory(
		appendHistory(emptyHistory(), {requests_waiting: 1}, 2),
		{requests_waiting: 2},
		2,
	);
	const second = appendHistory(first, {requests_waiting: 3}, 2);
	assert.deepEqual(first.requests_waiting, [1, 2]);
	assert.deepEqual(second.requests_waiting, [2, 3]);
});

test('appending to a bounded list gives [...items, item] without the oldest beyond the bound', () => {
	for (const keep of [1, 2, 3, 5]) {
		let list: number[] = [];
		for (let item = 0; item < 12; item++) {
			const before = [...list];
			const next = appendBounded(list, item, keep);
			assert.deepEqual(next, [...before, item].slice(-keep));
			assert.deepEqual(list, before, 'the old list is left as it was');
			list = next;
		}
	}
});
