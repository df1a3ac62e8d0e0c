/**
The `samples` writer builds each line from cached pieces (name, label set) and writes in large chunks. Its output must
be byte for byte what serialising one object per sample with JSON.stringify gives, on real pages and on hostile ones,
and a reader that goes away (`samples FILE | head`) must end it quietly.
*/
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {test} from 'node:test';
import type {Sample} from '../source/parse/page.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {sampleChunks} from '../source/modes/samples.js';
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

function compare(text: string, format: 'text' | 'openmetrics'): number {
	const result = parseExposition(text, format);
	assert.ok(result.ok, result.ok ? '' : result.error);
	const {samples} = result.page;
	const expected = samples.map(sample => plainLine(sample) + '\n').join('');
	assert.equal([...sampleChunks(samples)].join(''), expected);
	// Chunk boundaries fall between lines and change nothing.
	const small = [...sampleChunks(samples, 300)];
	assert.ok(samples.length < 10 || small.length > 1, 'several chunks');
	for (const chunk of small) {
		assert.ok(chunk.endsWith('\n'));
	}

	assert.equal(small.join(''), expected);
	return samples.length;
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

test('byte-identical to one JSON.stringify per sample on the real fixtures', () => {
	for (const file of [
		'vllm-v0-opt125m.txt',
		'vllm-v1-generated-dp2-specdec-lora.txt',
		'tricky.prom',
		'dcgm-exporter-default.txt',
	]) {
		assert.ok(compare(readFileSync(fixturePath(file), 'utf8'), 'text') > 0);
	}

	compare(
		readFileSync(fixturePath('tricky-openmetrics.prom'), 'utf8'),
		'openmetrics',
	);
});

test('byte-identical on a hostile page: escapes, prototype keys, integer-like keys, extreme numbers', () => {
	assert.equal(compare(hostilePage, 'text'), 14);
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
