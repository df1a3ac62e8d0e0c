/**
`samples` writes each line as bytes: through the parser (names and label sets serialised once and reused), or, for a
text-format page of the plain shape, straight from the page's bytes. Either way its output must be byte for byte what
serialising one object per sample with JSON.stringify gives, on real pages and on hostile ones; the plain path must
decline every page it cannot write exactly; and a reader that goes away (`samples FILE | head`) must end it quietly.
*/
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {test} from 'node:test';
import fc from 'fast-check';
import type {ExpositionFormat, Sample} from '../source/parse/page.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {plainPageLines} from '../source/modes/plain-page-lines.js';
import {samplesOf} from '../source/modes/samples.js';
import {fixturePath} from './support/fixture-path.js';
import {cliMissing, cliPath} from './support/run-cli.js';

/** The plain serialisation: one object per sample through JSON.stringify. */
function plainLine(sample: Sample): string {
	const {value} = sample;
	return JSON.stringify({
		name: sample.name,
		labels: sample.labels,
		value: Number.isNaN(value)
			? 'NaN'
			: value === Number.POSITIVE_INFINITY
				? '+Inf'
				: value === Number.NEGATIVE_INFINITY
					? '-Inf'
					: value,
		timestamp_ms: sample.timestampMs,
	});
}

function joined(chunks: readonly Uint8Array[]): string {
	return Buffer.concat(chunks).toString('utf8');
}

/** What the parser's path writes, checked against JSON.stringify, in big and in small chunks. */
function expectedLines(text: string, format: ExpositionFormat): string {
	const result = parseExposition(text, format);
	assert.ok(result.ok, result.ok ? '' : result.error);
	const expected = result.page.samples
		.map(sample => plainLine(sample) + '\n')
		.join('');
	for (const chunkSize of [undefined, 300]) {
		const written = samplesOf(text, format, chunkSize);
		assert.ok(written.ok);
		assert.equal(joined(written.chunks), expected);
	}

	return expected;
}

/** Whether the plain path took the page; when it did, its output is the parser's, byte for byte. */
function plainPathAgrees(text: string): boolean {
	const lines = plainPageLines(Buffer.from(text));
	if (lines === undefined) {
		return false;
	}

	assert.equal(joined(lines), expectedLines(text, 'text'));
	return true;
}

const hostilePage = [
	'# TYPE h histogram',
	String.raw`h_bucket{a="x\"y\\z",b="line\nbreak",le="0.1"} 1`,
	'h_bucket{a="é ✓ \u0001 \u2028",b="",le="+Inf"} 2',
	String.raw`h_count{a="x\"y\\z",b="line\nbreak"} 2`,
	'h_sum{a="é ✓ \u0001 \u2028",b=""} -0',
	'weird{__proto__="p",constructor="c","10"="ten","2"="two",z="last"} 1e21 1700000000000',
	'weird{z="last","2"="two"} 1.7976931348623157e308 0',
	'nan_value NaN',
	'pos +Inf',
	'neg -Inf',
	'tiny 5e-324',
	'int 123456789012345678901234567890',
	'frac 0.1',
	'exp 1.5E-7 0000000000123',
	'{"quoted.name","odd key"="v"} 3',
	'',
].join('\n');

test('byte-identical to one JSON.stringify per sample on the real fixtures, by either path', () => {
	for (const file of [
		'vllm-v0-opt125m.txt',
		'vllm-v1-generated-dp2-specdec-lora.txt',
		'vllm-v1-offload-mm-errors.txt',
		'dcgm-exporter-default.txt',
	]) {
		const text = readFileSync(fixturePath(file), 'utf8');
		assert.ok(expectedLines(text, 'text').length > 0);
		// Pages as vLLM and the DCGM exporter write them are of the plain shape.
		assert.ok(plainPathAgrees(text), `${file}: plain path declined`);
	}

	const tricky = readFileSync(fixturePath('tricky.prom'), 'utf8');
	expectedLines(tricky, 'text');
	plainPathAgrees(tricky);
	expectedLines(
		readFileSync(fixturePath('tricky-openmetrics.prom'), 'utf8'),
		'openmetrics',
	);
});

test('byte-identical on a hostile page: escapes, prototype keys, integer-like keys, extreme numbers', () => {
	assert.equal(expectedLines(hostilePage, 'text').split('\n').length - 1, 14);
	assert.equal(plainPathAgrees(hostilePage), false);
});

/** Every shape the plain path takes: it must take this page, and write what the parser's path writes. */
const plainPage = [
	String.raw`# HELP g A gauge, with "quotes" and \ in its help`,
	'# TYPE g gauge',
	'# a comment',
	'#comment without a blank',
	'g 1',
	'g{} 2.0',
	'g{a="b",} 3',
	'g{a="é ✓ \u2028 \u007F",b=""} -0',
	'g{a="{}=,#"}\t4\t',
	'g{a="1"}5 1700000000000',
	'g{a="2"} 6 0000000000123 ',
	'',
	'# TYPE h histogram',
	'h_bucket{le="0.1"} 1e21',
	'h_bucket{le="+Inf"} 1.7976931348623157e308',
	'h_sum NaN',
	'h_count +Inf',
	'h_created -Inf',
	'# TYPE u untyped',
	'u:colon_name 5e-324',
	'u:colon_name 0.1',
	'u:colon_name 1.5E-7',
	'u:colon_name -12345678901234567890 1',
	'u:colon_name +Inf',
	'u:colon_name nan',
	'u:colon_name Infinity',
	'last 7',
].join('\n');

test('the plain path takes pages as exporters write them, with NaN, Inf, timestamps and UTF-8, and no final newline', () => {
	assert.ok(plainPathAgrees(plainPage));
	assert.ok(plainPathAgrees(plainPage + '\n'));
	assert.ok(plainPathAgrees(''));
	// Long output crosses buffers without changing a byte.
	const lines = plainPageLines(Buffer.from(plainPage), 64);
	assert.ok(lines !== undefined && lines.length > 1);
	assert.equal(joined(lines), expectedLines(plainPage, 'text'));
});

test('the plain path declines what it cannot write exactly, and the parser decides', () => {
	for (const line of [
		String.raw`g{a="x\"y"} 1`,
		'g{a="tab\there"} 1',
		'g{a="multi\nline"} 1',
		'g {a="b"} 1',
		'g{ a="b"} 1',
		'g{a= "b"} 1',
		'g{a="b" ,c="d"} 1',
		'g{a="b"c="d"} 1',
		'g{a="b",a="c"} 1',
		'g{__name__="x"} 1',
		'g{"quoted"="name"} 1',
		'{"g"} 1',
		' g 1',
		'g1',
		'g 1.5s',
		'g 0x10',
		'g 1e400',
		'g 1\r',
		'g 1 12345678901234567890',
		'g 1 1 1',
		'g',
		'\u0000',
		'# TYPE g  gauge',
		'# TYPE g gauge ',
		'# TYPE g wrong',
		'# HELP "g" quoted',
		'\uFEFFg 1',
		`g{a="${'x'.repeat(20_000)}"} 1`,
	]) {
		const page = `ok 1\n${line}\nok 2\n`;
		assert.equal(plainPageLines(Buffer.from(page)), undefined, line);
	}
});

/** Mostly `usual`, now and then one of `odd`: pages near the plain shape, on both sides of its edge. */
function mostly<T>(usual: readonly T[], odd: readonly T[]): fc.Arbitrary<T> {
	return fc.oneof(
		{arbitrary: fc.constantFrom(...usual), weight: 12},
		{arbitrary: fc.constantFrom(...odd), weight: 1},
	);
}

const nearPlainLabel = fc
	.tuple(
		mostly(['a', 'le', 'b_2', 'a', 'engine'], ['__name__', '"q"', '', '__x']),
		mostly(['='], [' =', '= ']),
		fc.oneof(
			{arbitrary: fc.string({maxLength: 6}), weight: 4},
			{
				arbitrary: fc.constantFrom('0.1', '+Inf', 'é✓', String.raw`x\"y`),
				weight: 1,
			},
		),
	)
	.map(([key, equals, text]) => `${key}${equals}"${text}"`);

const nearPlainSample = fc
	.tuple(
		mostly(['g', 'h_bucket', 'a:b', '_x'], ['', '9', 'é', 'g-']),
		fc.array(nearPlainLabel, {maxLength: 4}),
		fc.boolean(),
		mostly([',', ''], [' ,', ', ']),
		mostly([' ', '  ', '\t'], ['']),
		mostly(
			['1', '1.0', '-0', '1e3', 'NaN', '+Inf', '0.25', '-Inf'],
			['x', '1e400', '', '0x1', '1_0'],
		),
		mostly(
			['', ' 123', ' 0001', '  1700000000000'],
			[' -1', ' 1.5', ' 99999999999999999999'],
		),
		mostly(['', ' '], [',', '\r', ' #']),
	)
	.map(
		([name, labels, braces, trailing, blank, value, timestamp, tail]) =>
			name +
			(braces || labels.length > 0
				? '{' + labels.join(',') + (labels.length > 0 ? trailing : '') + '}'
				: '') +
			(braces || labels.length > 0 ? blank.trim() : blank) +
			value +
			timestamp +
			tail,
	);

const nearPlainLine = fc.oneof(
	{arbitrary: nearPlainSample, weight: 6},
	{
		arbitrary: mostly(
			[
				'# TYPE g gauge',
				'# TYPE g histogram',
				'# HELP g some help',
				'# comment',
				'',
			],
			[
				'# TYPE g bogus',
				'# HELP',
				'#  TYPE g gauge',
				'# TYPE g  gauge',
				'# HELP "g" x',
			],
		),
		weight: 1,
	},
);

test('property: what the plain path writes, the parser writes byte for byte', () => {
	let taken = 0;
	fc.assert(
		fc.property(
			fc.array(nearPlainLine, {maxLength: 6}),
			fc.boolean(),
			(lines, finalNewline) => {
				const page = lines.join('\n') + (finalNewline ? '\n' : '');
				const plain = plainPageLines(Buffer.from(page));
				const parsed = samplesOf(page, 'text');
				if (plain !== undefined) {
					taken++;
					assert.ok(
						parsed.ok,
						`parser rejects a page the plain path took: ${JSON.stringify(page)}`,
					);
					assert.equal(
						joined(plain),
						joined(parsed.chunks),
						JSON.stringify(page),
					);
				}
			},
		),
		{numRuns: 3000},
	);
	// The generator reaches both sides of the edge.
	assert.ok(taken > 600 && taken < 2400, `plain path took ${taken} pages`);
});

test(
	'a reader that closes the pipe early ends `samples` quietly, with no stack trace',
	{skip: cliMissing},
	async () => {
		// Large enough that the output outlives the reader: about 3 MB of NDJSON.
		const lines = ['# TYPE g gauge'];
		for (let index = 0; index < 20_000; index++) {
			lines.push(`g{engine="${index % 8}",model_name="m-${index}"} ${index}`);
		}

		const child = spawn(process.execPath, [cliPath, 'samples', '-'], {
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stderr = '';
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (chunk: string) => {
			stderr += chunk;
		});
		child.stdin.end(lines.join('\n') + '\n');
		// Like `head -1`: read the first chunk, then close the pipe.
		await new Promise<void>(resolve => {
			child.stdout.once('data', () => {
				child.stdout.destroy();
				resolve();
			});
		});
		const code = await new Promise<number | null>(resolve => {
			child.once('close', resolve);
		});
		assert.equal(stderr, '');
		assert.equal(code, 0);
	},
);
