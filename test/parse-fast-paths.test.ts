import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import type {ExpositionFormat, Page} from '../source/parse/page.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {parseFloatValue} from '../source/parse/parse-float.js';

/*
The scanner reads plain decimal values in one pass and reuses label sets already read on the page. These tests pin
both shortcuts to what the general paths give.
*/

function parsed(text: string, format: ExpositionFormat = 'text'): Page {
	const result = parseExposition(text, format);
	if (!result.ok) {
		assert.fail(`rejected at line ${result.line}: ${result.error}`);
	}

	return result.page;
}

function pageText(body: string, format: ExpositionFormat): string {
	return format === 'openmetrics' ? `${body}# EOF\n` : body;
}

test('values: every spelling reads as before, whatever ends the value', () => {
	const cases: Array<[token: string, expected: number | undefined]> = [
		['1e3', 1000],
		['-0', -0],
		['+0', 0],
		['+Inf', Number.POSITIVE_INFINITY],
		['-inf', Number.NEGATIVE_INFINITY],
		['nan', Number.NaN],
		['.5', 0.5],
		['5.', 5],
		['-.5e-1', -0.05],
		['00012', 12],
		['1E+2', 100],
		['1e-400', 0],
		['1.7953742553394396e+09', 1_795_374_255.339_439_6],
		[
			'123456789012345678901234567890',
			Number('123456789012345678901234567890'),
		],
		['0x10', undefined],
		['1e', undefined],
		['1e+', undefined],
		['1.5s', undefined],
		['1_000', undefined],
		['+-1', undefined],
		['.', undefined],
		['-', undefined],
		['1e400', undefined],
		['-NaN', undefined],
		['1.2.3', undefined],
	];
	const endings: Array<[ending: string, formats: readonly ExpositionFormat[]]> =
		[
			['\n', ['text', 'openmetrics']],
			[' 1000\n', ['text', 'openmetrics']],
			['\t\n', ['text']],
			['', ['text']],
		];
	for (const [token, expected] of cases) {
		for (const [ending, formats] of endings) {
			for (const format of formats) {
				const text = pageText(`m ${token}${ending}`, format);
				const result = parseExposition(text, format);
				const label = `${format} ${JSON.stringify(text)}`;
				if (expected === undefined) {
					assert.ok(!result.ok, `${label} is rejected`);
					assert.match(result.error, /invalid value/, label);
					assert.equal(result.line, 1, label);
				} else {
					assert.ok(result.ok, label);
					assert.ok(
						Object.is(result.page.samples[0]!.value, expected),
						`${label}: ${result.page.samples[0]!.value}`,
					);
				}
			}
		}
	}
});

test('values: a decimal followed by a brace or a carriage return is still rejected', () => {
	const brace = parseExposition('m 1{a="b"}\n', 'text');
	assert.ok(!brace.ok);
	assert.match(brace.error, /unexpected character "{" after the value/);
	const crlf = parseExposition('m 1\r\n', 'text');
	assert.ok(!crlf.ok);
	assert.match(crlf.error, /carriage return/);
	const tab = parseExposition('m 1\t1\n# EOF\n', 'openmetrics');
	assert.ok(!tab.ok, 'OpenMetrics separates by spaces only');
	assert.match(tab.error, /invalid value "1\\t1"/);
	// Text format: a value right after the name is a value when it is a float, else a bad name.
	assert.equal(parsed('a-1 2\n').samples[0]!.value, -1);
	const badName = parseExposition('a-b 2\n', 'text');
	assert.ok(!badName.ok);
	assert.match(badName.error, /invalid metric name/);
});

test('values: random tokens read the same in a sample as on their own', () => {
	const token = fc.oneof(
		fc.double().map(String),
		fc.double().map(value => value.toExponential()),
		fc
			.array(fc.constantFrom(...'0123456789.eE+-xinfaINFA_'), {
				minLength: 1,
				maxLength: 8,
			})
			.map(parts => parts.join('')),
	);
	fc.assert(
		fc.property(
			token,
			fc.constantFrom('\n', ' 5\n', '\t\n', ''),
			(value, ending) => {
				const expected = parseFloatValue(value);
				const result = parseExposition(`m ${value}${ending}`, 'text');
				if (expected === undefined) {
					assert.ok(!result.ok, value);
				} else {
					assert.ok(result.ok, value);
					assert.ok(Object.is(result.page.samples[0]!.value, expected), value);
				}
			},
		),
		{numRuns: 2000},
	);
});

test('label sets: a set seen before reads the same, braces and escapes inside values included', () => {
	const page = parsed(
		[
			'a{x="}"} 1',
			'b{x="} 1"} 2',
			'c{x="}"} 3',
			String.raw`d{x="a\"b"} 4`,
			String.raw`e{x="a\"b"} 5`,
			'f{x="1"} 6',
			'g{x="1",y="2"} 7',
			'h{x="1"} 8',
			'i{x="1" } 9',
			'j{ x="1"} 10',
			'k{x="1",} 11',
			'',
		].join('\n'),
	);
	assert.deepEqual(
		page.samples.map(sample => sample.labels),
		[
			{x: '}'},
			{x: '} 1'},
			{x: '}'},
			{x: 'a"b'},
			{x: 'a"b'},
			{x: '1'},
			{x: '1', y: '2'},
			{x: '1'},
			{x: '1'},
			{x: '1'},
			{x: '1'},
		],
	);
});

test('label sets: a set that follows a different one each time reads right', () => {
	const page = parsed(
		[
			'a{m="1"} 1',
			'a{m="2"} 2',
			'b{m="1"} 3',
			'b{m="3"} 4',
			'c{m="1"} 5',
			'c{m="2"} 6',
			'c{m="1"} 7',
			'c{m="1"} 8',
			'',
		].join('\n'),
	);
	assert.deepEqual(
		page.samples.map(sample => sample.labels['m']),
		['1', '2', '1', '3', '1', '2', '1', '1'],
	);
});

test('label sets: rejections after the same text was accepted', () => {
	const duplicate = parseExposition('a{x="1"} 1\nb{x="1",x="2"} 2\n', 'text');
	assert.ok(!duplicate.ok);
	assert.equal(duplicate.line, 2);
	assert.match(duplicate.error, /duplicate label name "x"/);
	const quotedName = parseExposition('a{x="1"} 1\nb{"q",x="1"} 2\n', 'text');
	assert.ok(!quotedName.ok);
	assert.equal(quotedName.line, 2);
	assert.match(quotedName.error, /metric name already set/);
	const unterminated = parseExposition('a{x="1"} 1\nb{x="1" 2\n', 'text');
	assert.ok(!unterminated.ok);
	assert.equal(unterminated.line, 2);
});

test('label sets: a value with a newline counts its lines every time it is read', () => {
	const result = parseExposition(
		'a{x="p\nq"} 1\nb{x="p\nq"} 2\nc{ 3\n',
		'text',
	);
	assert.ok(!result.ok);
	assert.equal(result.line, 5);
	const page = parsed('a{x="p\nq"} 1\nb{x="p\nq"} 2\n');
	assert.deepEqual(
		page.samples.map(sample => sample.labels),
		[{x: 'p\nq'}, {x: 'p\nq'}],
	);
});

test('label sets: pages that repeat a few sets round-trip exactly in both formats', () => {
	const labelValue = fc
		.array(
			fc.constantFrom('a', '}', '{', ',', '"', '\\', '\n', ' ', '=', 'é'),
			{
				maxLength: 4,
			},
		)
		.map(parts => parts.join(''));
	const labelSet = fc.uniqueArray(
		fc.tuple(fc.constantFrom('a', 'b', 'le', 'model_name'), labelValue),
		{selector: ([name]) => name, maxLength: 3},
	);
	const escape = (value: string) =>
		value
			.replaceAll('\\', '\\\\')
			.replaceAll('"', String.raw`\"`)
			.replaceAll('\n', String.raw`\n`);
	fc.assert(
		fc.property(
			fc.array(labelSet, {minLength: 1, maxLength: 3}),
			fc.array(fc.tuple(fc.constantFrom('m', 'm_x', 'n'), fc.nat()), {
				maxLength: 20,
			}),
			fc.constantFrom<ExpositionFormat>('text', 'openmetrics'),
			(sets, lines, format) => {
				let body = '';
				for (const [name, index] of lines) {
					const set = sets[index % sets.length]!;
					const labels = set
						.map(([key, value]) => `${key}="${escape(value)}"`)
						.join(',');
					body += `${name}{${labels}} ${index}\n`;
				}

				const page = parsed(pageText(body, format), format);
				assert.equal(page.samples.length, lines.length);
				for (const [position, [name, index]] of lines.entries()) {
					const sample = page.samples[position]!;
					assert.equal(sample.name, name);
					assert.equal(sample.value, index);
					assert.deepEqual(
						sample.labels,
						Object.fromEntries(sets[index % sets.length]!),
					);
				}
			},
		),
		{numRuns: 500},
	);
});

test('label sets: many long sets of one length stay linear in time', () => {
	// V8 hashes strings this long by their length alone; were they keyed by their text, every lookup would collide.
	const text = Array.from(
		{length: 1000},
		(_, index) =>
			`m{a="${'x'.repeat(17_000)}${String(index).padStart(4, '0')}"} 1\n`,
	).join('');
	const started = performance.now();
	const result = parseExposition(text, 'text');
	assert.ok(result.ok);
	assert.equal(result.page.samples.length, 1000);
	assert.ok(performance.now() - started < 1000);
});
