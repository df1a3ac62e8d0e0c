import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {
	appendHistory,
	emptyHistory,
	seriesIds,
} from '../source/pipeline/history.js';
import {historyFromColumns} from '../source/pipeline/history-from-columns.js';
import type {SeriesId} from '../source/store/target-view.js';

const value = fc.oneof(
	fc.double(),
	fc.constant(null),
	fc.constant(undefined),
	fc.constant(Number.NaN),
	fc.constant(Number.POSITIVE_INFINITY),
);

test('a history built from columns equals appending the same points one by one', () => {
	fc.assert(
		fc.property(
			fc.dictionary(
				fc.constantFrom(...seriesIds),
				fc.array(value, {maxLength: 30}),
			),
			fc.integer({min: 1, max: 25}),
			(columns, capacity) => {
				const length = Math.max(
					0,
					...Object.values(columns).map(column => column.length),
				);
				let appended = emptyHistory();
				for (let index = 0; index < length; index++) {
					const point: Partial<Record<SeriesId, number | null>> = {};
					for (const id of seriesIds) {
						point[id] = columns[id]?.[index] ?? null;
					}

					appended = appendHistory(appended, point, capacity);
				}

				assert.deepEqual(historyFromColumns(columns, capacity), appended);
			},
		),
		{numRuns: 300},
	);
});

test('the newest points are kept and every series has the same length', () => {
	const history = historyFromColumns(
		{requests_running: [1, 2, 3, 4], kv_cache_usage: [0.5]},
		3,
	);
	assert.deepEqual(history.requests_running, [2, 3, 4]);
	// A shorter column is padded at its end: its missing newest points are gaps, not zeros.
	assert.deepEqual(history.kv_cache_usage, [null, null, null]);
	assert.deepEqual(history.ttft_p95, [null, null, null]);
});
