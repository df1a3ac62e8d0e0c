import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {seriesStats, sparkline} from '../source/format/sparkline.js';

test('one cell per value, lowest and highest ticks at the ends, gaps as spaces', () => {
	assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
	assert.equal(sparkline([-1, null, 3]), '▁ █');
	assert.equal(sparkline([-5, -5]), '▁▁');
	assert.equal(sparkline([]), '');
	assert.equal(sparkline([null, null]), '  ');
});

test('a non-negative series is scaled from 0: zero on the baseline, a flat value at its level, noise stays small', () => {
	assert.equal(sparkline([0, 0, 0, 0]), '▁▁▁▁');
	assert.equal(sparkline([5, 5, 5]), '███');
	assert.equal(sparkline([0, 2, 4]), '▁▅█');
	assert.equal(sparkline([31, 32, 31, 32]), '████');
	assert.equal(sparkline([20, 32]), '▅█');
	assert.equal(sparkline([0.5, 0.5], {min: 0, max: 1}), '▅▅');
});

test('fixed scale clamps values outside it instead of dropping cells', () => {
	assert.equal(sparkline([0, 0.5, 2], {min: 0, max: 1}), '▁▅█');
});

test('width keeps the newest values', () => {
	assert.equal(sparkline([0, 7, 0, 7], {width: 2}), '▁█');
	assert.equal(sparkline([1, 2], {width: 0}), '');
});

test('ascii ticks stay within printable ASCII', () => {
	const line = sparkline([0, 1, 2, 3, null, 5, 6, 7], {ascii: true});
	assert.equal(line.length, 8);
	assert.match(line, /^[\u0020-\u007E]+$/u);
	assert.equal(line[4], ' ');
});

test('property: exactly one cell per input value, whatever the numbers', () => {
	fc.assert(
		fc.property(
			fc.array(fc.oneof(fc.double(), fc.constant(null)), {maxLength: 80}),
			fc.option(fc.double({noNaN: true}), {nil: undefined}),
			fc.option(fc.double({noNaN: true}), {nil: undefined}),
			fc.boolean(),
			(values, min, max, ascii) => {
				const line = sparkline(values, {min, max, ascii});
				assert.equal([...line].length, values.length);
			},
		),
		{numRuns: 2000},
	);
});

test('series stats ignore gaps and report the newest present value', () => {
	assert.deepEqual(seriesStats([3, null, 1, 9, null]), {
		min: 1,
		max: 9,
		last: 9,
	});
	assert.deepEqual(seriesStats([null, Number.NaN]), {
		min: null,
		max: null,
		last: null,
	});
});
