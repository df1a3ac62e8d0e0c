import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	counterIncrease,
	counterRate,
	counterReset,
} from '../source/derive/counter-delta.js';

test('the increase of a growing counter is the difference', () => {
	assert.equal(counterIncrease(5, 8), 3);
	assert.equal(counterIncrease(5, 5), 0);
	assert.equal(counterReset(5, 8), false);
});

test('a counter that went down restarted from zero: the increase is its new value, never negative', () => {
	assert.equal(counterIncrease(1000, 40), 40);
	assert.equal(counterIncrease(1000, 0), 0);
	assert.equal(counterReset(1000, 40), true);
});

test('rates divide the increase by the seconds between readings, null over no time', () => {
	assert.equal(counterRate(100, 160, 5), 12);
	assert.equal(counterRate(100, 20, 4), 5);
	assert.equal(counterRate(100, 160, 0), null);
	assert.equal(counterRate(100, 160, -1), null);
});
