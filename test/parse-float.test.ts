import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {parseFloatValue} from '../source/parse/parse-float.js';

test('accepts what Go strconv.ParseFloat accepts (without p exponents and underscores)', () => {
	const cases: Array<[string, number]> = [
		['0', 0],
		['-0', -0],
		['007', 7],
		['1.', 1],
		['.25', 0.25],
		['+.5e1', 5],
		['1e-5', 1e-5],
		['4.9e-324', 5e-324],
		['1.7976931348623157e308', Number.MAX_VALUE],
		['inf', Number.POSITIVE_INFINITY],
		['-Infinity', Number.NEGATIVE_INFINITY],
		['+iNf', Number.POSITIVE_INFINITY],
	];
	for (const [text, expected] of cases) {
		assert.ok(Object.is(parseFloatValue(text), expected), text);
	}

	assert.ok(Number.isNaN(parseFloatValue('nAn')));
});

test('rejects what Prometheus rejects', () => {
	for (const text of [
		'',
		' 1',
		'1 ',
		'0x1p-2',
		'0x10',
		'1_0',
		'1e',
		'e1',
		'.e1',
		'+',
		'--1',
		'+nan',
		'infinit',
		'infinityy',
		'1.8e308',
		'-1e309',
		'1,5',
		'١',
	]) {
		assert.equal(parseFloatValue(text), undefined, text);
	}
});

test('any finite double printed by JavaScript parses back to itself', () => {
	fc.assert(
		fc.property(
			fc
				.double({noNaN: true, noDefaultInfinity: true})
				// String(-0) is "0".
				.filter(value => !Object.is(value, -0)),
			value => {
				assert.ok(Object.is(parseFloatValue(String(value)), value));
				assert.ok(Object.is(parseFloatValue(value.toExponential()), value));
			},
		),
		{numRuns: 2000},
	);
});

test('short decimals take the exact fast path and agree with Number()', () => {
	fc.assert(
		fc.property(
			fc.integer({min: 0, max: 999_999_999}),
			fc.integer({min: 0, max: 6}),
			fc.integer({min: -20, max: 20}),
			(mantissa, fractionDigits, exponent) => {
				const digits = String(mantissa).padStart(fractionDigits + 1, '0');
				const text = `${digits.slice(0, digits.length - fractionDigits)}.${digits.slice(digits.length - fractionDigits)}e${exponent}`;
				assert.ok(Object.is(parseFloatValue(text), Number(text)), text);
			},
		),
		{numRuns: 2000},
	);
});
