import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {
	bucketQuantile,
	histogramQuantile,
	histogramQuantileBounds,
	histogramQuantiles,
	type Bucket,
} from '../source/derive/histogram-quantile.js';
import {formatQuantile} from '../source/format/quantile-text.js';

const inf = Number.POSITIVE_INFINITY;

function buckets(...pairs: Array<[number, number]>): Bucket[] {
	return pairs.map(([upperBound, count]) => ({upperBound, count}));
}

function close(actual: number | null, expected: number): void {
	assert.ok(actual !== null, `expected ${expected}, got null`);
	assert.ok(
		Math.abs(actual - expected) < 1e-9,
		`expected ${expected}, got ${actual}`,
	);
}

test('interpolates linearly inside the bucket holding the rank, from 0 in the lowest bucket', () => {
	const table = buckets([0.1, 10], [0.5, 30], [1, 40], [inf, 40]);
	close(histogramQuantile(0.5, table), 0.3);
	close(histogramQuantile(0.95, table), 0.9);
	close(histogramQuantile(0.99, table), 0.98);
	close(histogramQuantile(0.1, table), 0.04);
	close(histogramQuantile(0, table), 0);
	close(histogramQuantile(1, table), 1);
});

test('a rank in the +Inf bucket answers the highest finite bound', () => {
	const table = buckets([1, 5], [2, 8], [inf, 10]);
	close(histogramQuantile(0.9, table), 2);
	close(histogramQuantile(0.99, table), 2);
	close(histogramQuantile(0.8, table), 2);
	close(histogramQuantile(0.5, table), 1);
});

test('a lowest bucket with a bound <= 0 answers its bound instead of interpolating from 0', () => {
	const table = buckets([-1, 2], [0, 4], [1, 10], [inf, 10]);
	close(histogramQuantile(0.1, table), -1);
	close(histogramQuantile(0.3, table), -0.5);
	close(histogramQuantile(0.7, table), 0.5);
});

test('non-monotonic buckets are flattened into their envelope first', () => {
	const table = buckets([1, 5], [2, 3], [4, 8], [inf, 8]);
	close(histogramQuantile(0.5, table), 0.8);
	close(histogramQuantile(0.75, table), 2 + 2 / 3);
});

test('equal bounds from several engines are summed (coalesced), in any order', () => {
	const table = buckets([2, 4], [inf, 6], [1, 2], [inf, 4], [1, 1], [2, 4]);
	close(histogramQuantile(0.5, table), 1.4);
	close(histogramQuantile(0.9, table), 2);
});

test('nothing observed, no +Inf bucket or fewer than two buckets give null (NaN in Prometheus)', () => {
	assert.equal(
		histogramQuantile(0.5, buckets([0.1, 0], [1, 0], [inf, 0])),
		null,
	);
	assert.equal(histogramQuantile(0.5, buckets([0.1, 1], [1, 2])), null);
	assert.equal(histogramQuantile(0.5, buckets([inf, 7])), null);
	assert.equal(histogramQuantile(0.5, []), null);
	assert.ok(Number.isNaN(bucketQuantile(0.5, buckets([0.1, 0], [inf, 0]))));
});

test('q outside [0, 1] gives -Inf / +Inf and NaN q gives NaN, as in Prometheus', () => {
	const table = buckets([1, 5], [inf, 10]);
	assert.equal(bucketQuantile(-0.1, table), Number.NEGATIVE_INFINITY);
	assert.equal(bucketQuantile(1.1, table), Number.POSITIVE_INFINITY);
	assert.ok(Number.isNaN(bucketQuantile(Number.NaN, table)));
});

test('float noise between neighbouring buckets is absorbed (relative 1e-12)', () => {
	// Without the correction the rank 10 + 5e-12 would land in the second bucket and interpolate to 1.5; with it the
	// second bucket holds exactly 10, so the rank passes every finite bucket and the answer is the highest bound.
	const table = buckets([1, 10], [2, 10 + 1e-11], [inf, 20 + 1e-11]);
	assert.equal(histogramQuantile(0.5, table), 2);
	assert.equal(histogramQuantile(0.5, buckets([1, 10], [2, 10], [inf, 20])), 1);
});

test('quantiles never decrease with q and stay within [0, highest finite bound]', () => {
	const bounds = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 10];
	fc.assert(
		fc.property(
			fc.array(fc.nat(1000), {
				minLength: bounds.length + 1,
				maxLength: bounds.length + 1,
			}),
			fc.double({min: 0, max: 1, noNaN: true}),
			fc.double({min: 0, max: 1, noNaN: true}),
			(increments, q1, q2) => {
				let cumulative = 0;
				const table = [...bounds, inf].map((upperBound, index) => {
					cumulative += increments[index]!;
					return {upperBound, count: cumulative};
				});
				const low = histogramQuantile(Math.min(q1, q2), table);
				const high = histogramQuantile(Math.max(q1, q2), table);
				if (cumulative === 0) {
					return low === null && high === null;
				}

				if (low === null || high === null) {
					// Prometheus gives NaN for q where the rank lands on an empty first bucket (0/0).
					return true;
				}

				return low <= high + 1e-12 && low >= 0 && high <= 10;
			},
		),
		{numRuns: 500},
	);
});

test('quantiles in the first bucket or past the last finite one say so, with the bound', () => {
	const buckets = [
		{upperBound: 0.3, count: 90},
		{upperBound: 1, count: 95},
		{upperBound: 10, count: 97},
		{upperBound: Number.POSITIVE_INFINITY, count: 100},
	];
	assert.deepEqual(histogramQuantileBounds([0.5, 0.95, 0.96, 0.99], buckets), [
		{side: 'below', bound: 0.3},
		null,
		null,
		{side: 'above', bound: 10},
	]);
	// The numbers themselves stay what histogram_quantile gives.
	assert.deepEqual(histogramQuantiles([0.5, 0.99], buckets), [
		(0.3 * 50) / 90,
		10,
	]);
	assert.deepEqual(histogramQuantileBounds([0.5], []), [null]);
	// A first bucket at 0 answers its bound exactly: nothing to flag.
	assert.deepEqual(
		histogramQuantileBounds(
			[0.1],
			[
				{upperBound: 0, count: 50},
				{upperBound: 1, count: 100},
				{upperBound: Number.POSITIVE_INFINITY, count: 100},
			],
		),
		[null],
	);
});

test('a bounded quantile prints as <bound or >bound, an exact one as its number', () => {
	const quantiles = {
		p50: 0.15,
		p90: null,
		p95: 0.5,
		p99: 10,
		mean: 0.2,
		bounded: {
			p50: {side: 'below', bound: 0.3},
			p90: null,
			p95: null,
			p99: {side: 'above', bound: 10},
		},
	} as const;
	assert.equal(formatQuantile(quantiles, 'p50'), '<300ms');
	assert.equal(formatQuantile(quantiles, 'p95'), '500ms');
	assert.equal(formatQuantile(quantiles, 'p99'), '>10s');
	assert.equal(formatQuantile(null, 'p99'), '--');
});
