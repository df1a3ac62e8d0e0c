import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
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
