/**
Batch fill: vLLM does not put `--max-num-batched-tokens` on /metrics, so the user gives it like `--max-num-seqs`
(flag or config file), and tokens per step are shown as a share of it in `--json`, the `--once` report and the
engines table. Without it nothing is made up: `batch_fill` is null and no column appears.
*/
import assert from 'node:assert/strict';
import {mkdtempSync} from 'node:fs';
import {rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {stripVTControlCharacters} from 'node:util';
import {after, describe, test} from 'node:test';
import {render} from 'ink-testing-library';
import {z} from 'zod';
import {EnginesTable} from '../source/ui/engines-table.js';
import {fixtureRecording} from './support/fixture-recording.js';
import {cliMissing, runCli} from './support/run-cli.js';
import {sampleSnapshot} from './support/sample-snapshot.js';

const quantiles = z.object({
	p50: z.number(),
	p90: z.number(),
	mean: z.number(),
});
const documentSchema = z.object({
	signals: z.object({batch_tokens: quantiles}),
	batch_fill: z
		.object({
			max_num_batched_tokens: z.number(),
			p50: z.number(),
			p90: z.number(),
			mean: z.number(),
		})
		.nullable(),
});

describe('batch fill from the command line', {skip: cliMissing}, () => {
	const directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-fill-'));
	const file = path.join(directory, 'fill.ndjson');
	after(async () => {
		await rm(directory, {recursive: true, force: true});
	});

	const run = async (args: readonly string[]) => {
		await writeFile(
			file,
			fixtureRecording(
				'vllm-v1-offload-mm-errors.txt',
				'http://127.0.0.1:8000/metrics',
			),
		);
		return runCli(['--replay', file, '--once', '--at', '5s', ...args]);
	};

	test('--max-num-batched-tokens: --json gives tokens per step over it', async () => {
		const result = await run(['--json', '--max-num-batched-tokens', '2048']);
		assert.equal(result.stderr, '');
		const {signals, batch_fill: fill} = documentSchema.parse(
			JSON.parse(result.stdout),
		);
		assert.ok(fill);
		assert.equal(fill.max_num_batched_tokens, 2048);
		assert.equal(fill.p50, signals.batch_tokens.p50 / 2048);
		assert.equal(fill.p90, signals.batch_tokens.p90 / 2048);
		assert.equal(fill.mean, signals.batch_tokens.mean / 2048);
		assert.ok(fill.p50 > 0 && fill.p50 < 1);
	});

	test('the config file key gives the same, and the report names the flag', async () => {
		const config = path.join(directory, 'config.yaml');
		await writeFile(config, 'max_num_batched_tokens: 4096\n');
		const answer = await run(['--json', '--config', config]);
		const json = documentSchema.parse(JSON.parse(answer.stdout));
		assert.equal(json.batch_fill?.max_num_batched_tokens, 4096);
		assert.equal(json.batch_fill.p50, json.signals.batch_tokens.p50 / 4096);
		const report = await run(['--config', config]);
		assert.match(
			report.stdout,
			/^ {2}batch +step fill p50 \d+\.\d%, p90 \d+\.\d% of --max-num-batched-tokens 4096$/mv,
		);
	});

	test('without it batch_fill is null and the report has no batch row', async () => {
		const answer = await run(['--json']);
		const {batch_fill: fill} = documentSchema.parse(JSON.parse(answer.stdout));
		assert.equal(fill, null);
		const report = await run([]);
		assert.doesNotMatch(report.stdout, /step fill/v);
	});

	test('a budget that is no whole number above 0 is a one-line error', async () => {
		const flag = await run(['--max-num-batched-tokens', '0']);
		assert.notEqual(flag.code, 0);
		assert.match(flag.stderr, /--max-num-batched-tokens/v);
		assert.equal(flag.stderr.trim().split('\n').length, 1, flag.stderr);
		const config = path.join(directory, 'bad.yaml');
		await writeFile(config, 'max_num_batched_tokens: -5\n');
		const file = await run(['--config', config]);
		assert.notEqual(file.code, 0);
		assert.match(
			file.stderr,
			/max_num_batched_tokens: expected a whole number >= 1 \(the server's --max-num-batched-tokens\), got -5/v,
		);
	});
});

test('engines table: a step fill column per engine and model only when the budget is known', () => {
	const frameOf = (element: React.JSX.Element) => {
		const {lastFrame, unmount} = render(element);
		const frame = stripVTControlCharacters(lastFrame() ?? '');
		unmount();
		return frame;
	};

	const base = sampleSnapshot();
	const tokens = {p50: 512, p90: 900, p95: 1000, p99: 1100, mean: 600};
	const snapshot = sampleSnapshot({
		batch_fill: {max_num_batched_tokens: 2048, p50: 0.25, p90: 0.44, mean: 0.3},
		per_engine: base.per_engine.map(engine => ({
			...engine,
			signals: {...engine.signals, batch_tokens: tokens},
		})),
	});
	const known = frameOf(
		<EnginesTable snapshot={snapshot} width={120} maxRows={8} />,
	);
	assert.match(known, /^engine .* step fill$/mv);
	// 512 of 2,048 tokens per step on each engine.
	assert.match(known, /^0 .* 25\.0%$/mv);
	assert.match(known, /^1 .* 25\.0%$/mv);
	const unknown = frameOf(
		<EnginesTable snapshot={base} width={120} maxRows={8} />,
	);
	assert.doesNotMatch(unknown, /step fill/v);
});
