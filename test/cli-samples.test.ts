/**
`vllm-top samples` on the built CLI: one NDJSON line per sample from a file, standard input or a live server, and
the one-line error contract with its sysexits codes (65 for a rejected page, 66 for an unreadable source).
*/
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {fixturePath} from './support/fixture-path.js';
import {cliMissing, parseJsonLines, runCli} from './support/run-cli.js';

const fixture = fixturePath('vllm-v0-opt125m.txt');
const fixtureText = readFileSync(fixture, 'utf8');

/** Sample lines counted from the text itself (every line that is neither blank nor a comment), not by the parser under test. */
const fixtureSampleCount = fixtureText
	.split('\n')
	.filter(line => line.trim() !== '' && !line.startsWith('#')).length;

type SampleLine = {
	name: string;
	labels: Record<string, string>;
	value: number | string;
	timestamp_ms: number | null;
};

function isSampleLine(value: unknown): value is SampleLine {
	return (
		typeof value === 'object' &&
		value !== null &&
		'name' in value &&
		typeof value.name === 'string' &&
		'labels' in value &&
		typeof value.labels === 'object' &&
		'value' in value &&
		(typeof value.value === 'number' || typeof value.value === 'string') &&
		'timestamp_ms' in value
	);
}

function sampleLines(stdout: string): SampleLine[] {
	return parseJsonLines(stdout).map(line => {
		assert.ok(isSampleLine(line), `not a sample line: ${JSON.stringify(line)}`);
		return line;
	});
}

let directory = '';

before(async () => {
	directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-cli-samples-'));
});

after(async () => {
	await rm(directory, {recursive: true, force: true});
});

describe(
	'vllm-top samples',
	{skip: cliMissing, timeout: 60_000, concurrency: 3},
	() => {
		test('FILE: one NDJSON line per sample, in page order', async () => {
			assert.ok(fixtureSampleCount > 50, 'fixture has samples');
			const result = await runCli(['samples', fixture]);
			assert.equal(result.code, 0, result.stderr);
			assert.ok(result.stdout.endsWith('\n'));
			const lines = sampleLines(result.stdout);
			assert.equal(lines.length, fixtureSampleCount);
			const running = lines.find(
				line => line.name === 'vllm:num_requests_running',
			);
			assert.ok(running, 'vllm:num_requests_running is a sample');
			assert.equal(running.labels['model_name'], 'facebook/opt-125m');
			// Page order: the first sample line of the file is the first line printed.
			const firstSample = fixtureText
				.split('\n')
				.find(line => line.trim() !== '' && !line.startsWith('#'));
			assert.ok(firstSample?.startsWith(lines[0]!.name));
		});

		test('-: reads the page from standard input', async () => {
			const result = await runCli(['samples', '-'], {input: fixtureText});
			assert.equal(result.code, 0, result.stderr);
			assert.equal(sampleLines(result.stdout).length, fixtureSampleCount);
		});

		test('NaN and infinities use the Prometheus spellings', async () => {
			const result = await runCli(['samples', '-'], {
				input:
					'# TYPE a gauge\na{x="1"} NaN\na{x="2"} +Inf\na{x="3"} -Inf\na{x="4"} 2.5 1700000000000\n',
			});
			assert.equal(result.code, 0, result.stderr);
			assert.deepEqual(sampleLines(result.stdout), [
				{name: 'a', labels: {x: '1'}, value: 'NaN', timestamp_ms: null},
				{name: 'a', labels: {x: '2'}, value: '+Inf', timestamp_ms: null},
				{name: 'a', labels: {x: '3'}, value: '-Inf', timestamp_ms: null},
				{
					name: 'a',
					labels: {x: '4'},
					value: 2.5,
					timestamp_ms: 1_700_000_000_000,
				},
			]);
		});

		test('URL: the samples of a live simulator page', async () => {
			// Frozen clock: the page the CLI reads is the page this test reads.
			const simulator = await startSimulator({timeScale: 0, seed: 5});
			try {
				simulator.advance(30);
				const url = `${simulator.url}/metrics`;
				const response = await fetch(url);
				const page = await response.text();
				const expected = page
					.split('\n')
					.filter(line => line.trim() !== '' && !line.startsWith('#')).length;
				const result = await runCli(['samples', url]);
				assert.equal(result.code, 0, result.stderr);
				const lines = sampleLines(result.stdout);
				assert.ok(expected > 100, `${expected} samples on the page`);
				assert.equal(lines.length, expected);
				const running = lines.filter(
					line => line.name === 'vllm:num_requests_running',
				);
				assert.ok(running.length > 0);
				// V1 pages label every engine series.
				assert.ok(running.every(line => line.labels['engine'] !== undefined));
				// A bare host:port is the same server, as the monitor takes it.
				const bare = await runCli(['samples', new URL(simulator.url).host]);
				assert.equal(bare.code, 0, bare.stderr);
				assert.equal(sampleLines(bare.stdout).length, expected);
			} finally {
				await simulator.stop();
			}
		});

		test('a rejected page is exactly one error line naming the line, exit 65', async () => {
			const result = await runCli(['samples', '-'], {
				input: '# TYPE ok gauge\nok 1\nmetric{a="b" 1\nlater 2\n',
			});
			assert.equal(result.code, 65, result.stderr);
			const lines = result.stdout.split('\n').filter(line => line !== '');
			assert.equal(lines.length, 1, result.stdout);
			const error: unknown = JSON.parse(lines[0]!);
			assert.ok(
				typeof error === 'object' &&
					error !== null &&
					'error' in error &&
					'line' in error,
				lines[0],
			);
			assert.equal(typeof error.error, 'string');
			assert.equal(error.line, 3);
		});

		test('a rejected file gives the same error line', async () => {
			const file = path.join(directory, 'broken.txt');
			await writeFile(file, 'metric{a="b" 1\n');
			const result = await runCli(['samples', file]);
			assert.equal(result.code, 65);
			const [line, ...rest] = parseJsonLines(result.stdout);
			assert.equal(rest.length, 0);
			assert.ok(typeof line === 'object' && line !== null && 'line' in line);
			assert.equal(line.line, 1);
		});

		test('a missing file exits 66 with a one-line error', async () => {
			const missing = path.join(directory, 'does-not-exist.txt');
			const result = await runCli(['samples', missing]);
			assert.equal(result.code, 66);
			const stderrLines = result.stderr.split('\n').filter(line => line !== '');
			assert.equal(stderrLines.length, 1, result.stderr);
			assert.match(stderrLines[0]!, /does-not-exist\.txt/);
			assert.match(stderrLines[0]!, /ENOENT/);
			const [line, ...rest] = parseJsonLines(result.stdout);
			assert.equal(rest.length, 0);
			assert.ok(typeof line === 'object' && line !== null && 'error' in line);
		});

		test('--format openmetrics rejects a page without # EOF', async () => {
			const page = '# TYPE a gauge\na 1\n';
			const asText = await runCli(['samples', '-'], {input: page});
			assert.equal(asText.code, 0, 'the same page is fine as text');
			const result = await runCli(['samples', '--format', 'openmetrics', '-'], {
				input: page,
			});
			assert.equal(result.code, 65);
			const [line, ...rest] = parseJsonLines(result.stdout);
			assert.equal(rest.length, 0);
			assert.ok(typeof line === 'object' && line !== null && 'error' in line);
			assert.match(String(line.error), /EOF/);
			const withEof = await runCli(
				['samples', '--format', 'openmetrics', '-'],
				{
					input: `${page}# EOF\n`,
				},
			);
			assert.equal(withEof.code, 0, withEof.stdout);
			assert.equal(sampleLines(withEof.stdout).length, 1);
		});
	},
);
