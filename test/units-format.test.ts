import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	formatCount,
	formatDuration,
	formatSpokenDuration,
	formatNumber,
	formatPercent,
	formatRate,
	formatSeconds,
	formatTokens,
	missing,
} from '../source/format/units.js';

test('missing values read -- in every formatter, never 0', () => {
	for (const format of [
		formatNumber,
		formatCount,
		formatTokens,
		formatPercent,
		formatSeconds,
		formatDuration,
		formatRate,
	]) {
		assert.equal(format(null), missing);
		assert.equal(format(undefined), missing);
		assert.equal(format(Number.NaN), missing);
		assert.equal(format(Number.POSITIVE_INFINITY), missing);
	}

	assert.equal(missing, '--');
});

test('numbers keep about three significant digits and switch suffix on the rounded value', () => {
	assert.equal(formatNumber(0), '0');
	assert.equal(formatNumber(0.4), '0.4');
	assert.equal(formatNumber(0.004), '<0.01');
	assert.equal(formatNumber(1.234), '1.23');
	assert.equal(formatNumber(12.34), '12.3');
	assert.equal(formatNumber(1876.2), '1876');
	assert.equal(formatNumber(12_345), '12.3k');
	assert.equal(formatNumber(999_960), '1M');
	assert.equal(formatNumber(2.5e9), '2.5G');
	assert.equal(formatNumber(-12_345), '-12.3k');
	assert.equal(formatRate(5234.5), '5235/s');
});

test('counts and tokens are whole below 10k', () => {
	assert.equal(formatCount(118.8), '119');
	assert.equal(formatTokens(131_072), '131k');
	assert.equal(formatTokens(8651), '8651');
});

test('percentages from fractions', () => {
	assert.equal(formatPercent(0.934), '93.4%');
	assert.equal(formatPercent(1), '100%');
	assert.equal(formatPercent(0), '0.0%');
});

test('latencies in the unit people read them in', () => {
	assert.equal(formatSeconds(0.000_85), '850us');
	assert.equal(formatSeconds(0.0042), '4.2ms');
	assert.equal(formatSeconds(0.048), '48ms');
	assert.equal(formatSeconds(1.84), '1.84s');
	assert.equal(formatSeconds(14.8), '14.8s');
	assert.equal(formatSeconds(125), '2m05s');
});

test('durations use two units at most and drop a zero second unit', () => {
	assert.equal(formatDuration(42), '42ms');
	assert.equal(formatDuration(500), '500ms');
	assert.equal(formatDuration(1500), '1.5s');
	assert.equal(formatDuration(5000), '5s');
	assert.equal(formatDuration(60_000), '1m');
	assert.equal(formatDuration(192_000), '3m12s');
	assert.equal(formatDuration((3 * 3600 + 25 * 60) * 1000), '3h25m');
	assert.equal(formatDuration((2 * 86_400 + 4 * 3600) * 1000), '2d04h');
});

test('formatSpokenDuration says a span as alert messages do', () => {
	assert.equal(formatSpokenDuration(60_000), '1 min');
	assert.equal(formatSpokenDuration(120_000), '2 min');
	assert.equal(formatSpokenDuration(30_000), '30 s');
	assert.equal(formatSpokenDuration(90_000), '90 s');
	assert.equal(formatSpokenDuration(1500), '1.50 s');
	assert.equal(formatSpokenDuration(12_500), '12.5 s');
});
