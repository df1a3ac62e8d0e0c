import {test} from 'node:test';
import fc from 'fast-check';
import {
	histogramQuantile,
	histogramQuantiles,
} from '../source/derive/histogram-quantile.js';

const bound = fc.oneof(
	fc.constantFrom(0, 0.1, 0.5, 1, 2.5, 10, Number.POSITIVE_INFINITY),
	fc.double({min: -5, max: 50, noNaN: true}),
);
const bucket = fc.record({
	upperBound: bound,
	count: fc.oneof(fc.nat(1000), fc.double({min: 0, max: 1e6, noNaN: true})),
});
const q = fc.oneof(
	fc.constantFrom(0, 0.5, 0.95, 0.99, 1, -0.1, 1.1, Number.NaN),
	fc.double({min: 0, max: 1, noNaN: true}),
);

test('quantiles read from one merged envelope equal each quantile computed alone', () => {
	fc.assert(
		fc.property(
			fc.array(bucket, {maxLength: 12}),
			fc.array(q, {maxLength: 4}),
			(buckets, qs) => {
				const together = histogramQuantiles(qs, buckets);
				return qs.every((each, index) =>
					Object.is(together[index], histogramQuantile(each, buckets)),
				);
			},
		),
		{numRuns: 2000},
	);
});
