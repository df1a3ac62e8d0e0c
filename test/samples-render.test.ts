import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {renderSamples} from '../source/modes/samples.js';
import {fixturePath} from './support/fixture-path.js';

function lines(output: string): Array<Record<string, unknown>> {
	assert.ok(
		output === '' || output.endsWith('\n'),
		'every line ends with a newline',
	);
	return output
		.split('\n')
		.slice(0, -1)
		.map(line => {
			const value: unknown = JSON.parse(line);
			assert.ok(isRecord(value), line);
			return value;
		});
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

test('one NDJSON line per sample, in page order, with non-finite values as strings', () => {
	const {output, exitCode} = renderSamples(
		'# TYPE m gauge\nm{a="x\\"y",b="é"} 1.5 1700000000000\nm NaN\nn +Inf\nn -Inf\nz -0\n',
		'text',
	);
	assert.equal(exitCode, 0);
	assert.deepEqual(lines(output), [
		{
			name: 'm',
			labels: {a: 'x"y', b: 'é'},
			value: 1.5,
			timestamp_ms: 1_700_000_000_000,
		},
		{name: 'm', labels: {}, value: 'NaN', timestamp_ms: null},
		{name: 'n', labels: {}, value: '+Inf', timestamp_ms: null},
		{name: 'n', labels: {}, value: '-Inf', timestamp_ms: null},
		{name: 'z', labels: {}, value: 0, timestamp_ms: null},
	]);
	assert.equal(
		output.split('\n')[0],
		String.raw`{"name":"m","labels":{"a":"x\"y","b":"é"},"value":1.5,"timestamp_ms":1700000000000}`,
	);
});

test('OpenMetrics timestamps come out in milliseconds', () => {
	const {output, exitCode} = renderSamples(
		'm_total 3 1700000000.25 # {t="x"} 1\n# EOF\n',
		'openmetrics',
	);
	assert.equal(exitCode, 0);
	assert.deepEqual(lines(output), [
		{name: 'm_total', labels: {}, value: 3, timestamp_ms: 1_700_000_000_250},
	]);
});

test('a rejected page prints exactly one error line and exit code 65', () => {
	const {output, exitCode} = renderSamples(
		'ok 1\nok 2\nbad{a="1",a="2"} 3\n',
		'text',
	);
	assert.equal(exitCode, 65);
	const parsed = lines(output);
	assert.equal(parsed.length, 1);
	assert.deepEqual(Object.keys(parsed[0]!), ['error', 'line']);
	assert.equal(parsed[0]!['line'], 3);
	assert.ok(String(parsed[0]!['error']).includes('duplicate label name "a"'));
	const missingEof = renderSamples('m 1\n', 'openmetrics');
	assert.equal(missingEof.exitCode, 65);
	const [error] = lines(missingEof.output);
	assert.ok(String(error!['error']).includes('# EOF'));
	assert.equal(error!['line'], 1);
});

test('an empty page prints nothing; the V0 fixture prints one line per sample', () => {
	assert.deepEqual(renderSamples('', 'text'), {output: '', exitCode: 0});
	const {output, exitCode} = renderSamples(
		readFileSync(fixturePath('vllm-v0-opt125m.txt'), 'utf8'),
		'text',
	);
	assert.equal(exitCode, 0);
	const parsed = lines(output);
	assert.equal(parsed.length, 120);
	assert.deepEqual(
		parsed.find(line => line['name'] === 'vllm:gpu_cache_usage_perc'),
		{
			name: 'vllm:gpu_cache_usage_perc',
			labels: {model_name: 'facebook/opt-125m'},
			value: 0,
			timestamp_ms: null,
		},
	);
});
