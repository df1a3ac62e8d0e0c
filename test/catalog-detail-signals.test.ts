/**
The detail signals (KV offload, the external and multimodal caches, tokens per step, errors, request lengths) read
off a page built from vLLM's metric definitions, through the CLI as a script sees them: `--once --json`, the
`--once` report and the plain line of a replay.
*/
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync} from 'node:fs';
import {rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {z} from 'zod';
import {fixturePath} from './support/fixture-path.js';
import {fixtureRecording} from './support/fixture-recording.js';
import {cliMissing, runCli} from './support/run-cli.js';

const fixture = 'vllm-v1-offload-mm-errors.txt';
const page = readFileSync(fixturePath(fixture), 'utf8');

/** A sample's value on the fixture page. */
function valueOf(sample: string): number {
	const line = page.split('\n').find(text => text.startsWith(`${sample} `));
	assert.ok(line, sample);
	return Number(line.split(' ').at(-1));
}

/** What `grownPage` adds to a cumulative value from one scrape to the next, 5 s later. */
const stepIncrease = (value: number) => value / 2 + 3;
const perSecond = (value: number) => stepIncrease(value) / 5;
const engine = '{engine="0",model_name="Qwen/Qwen3-8B"}';

const quantiles = z.looseObject({p50: z.number(), p95: z.number()});
const documentSchema = z.object({
	signals: z.object({
		kv_offload_load_bytes_per_s: z.number(),
		kv_offload_store_bytes_per_s: z.number(),
		kv_offload_load_seconds_per_s: z.number(),
		kv_offload_store_seconds_per_s: z.number(),
		kv_offload_cpu_cache_usage: z.number(),
		kv_offload_allocation_failures_per_s: z.number(),
		external_prefix_cache_hit_rate: z.number(),
		mm_cache_hit_rate: z.number(),
		batch_tokens: quantiles,
		corrupted_requests_per_s: z.number(),
		http_requests_per_s_by_status: z.record(z.string(), z.number()),
		prompt_length_tokens: quantiles,
		generation_length_tokens: quantiles,
		prompt_length_histogram: z.record(z.string(), z.number()),
		generation_length_histogram: z.record(z.string(), z.number()),
	}),
});

const close = (actual: number, expected: number, what: string) => {
	assert.ok(
		Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
		`${what}: ${actual} is not ${expected}`,
	);
};

describe(
	'detail signals of a page with KV offload, caches and errors',
	{skip: cliMissing},
	() => {
		const directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-detail-'));
		const file = path.join(directory, 'offload.ndjson');
		after(async () => {
			await rm(directory, {recursive: true, force: true});
		});

		const run = async (args: readonly string[]) => {
			await writeFile(
				file,
				fixtureRecording(fixture, 'http://127.0.0.1:8000/metrics'),
			);
			const result = await runCli(['--replay', file, ...args]);
			assert.equal(result.stderr, '');
			return result.stdout;
		};

		test('--once --json carries each of them, read as vLLM defines it', async () => {
			const {signals} = documentSchema.parse(
				JSON.parse(await run(['--once', '--json', '--at', '5s'])),
			);
			close(
				signals.kv_offload_load_bytes_per_s,
				perSecond(valueOf(`vllm:kv_offload_load_bytes_total${engine}`)),
				'load bytes',
			);
			close(
				signals.kv_offload_store_bytes_per_s,
				perSecond(valueOf(`vllm:kv_offload_store_bytes_total${engine}`)),
				'store bytes',
			);
			close(
				signals.kv_offload_store_seconds_per_s,
				perSecond(valueOf(`vllm:kv_offload_store_time_total${engine}`)),
				'store time',
			);
			close(signals.kv_offload_cpu_cache_usage, 0.35, 'CPU tier pinned');
			close(
				signals.kv_offload_allocation_failures_per_s,
				perSecond(12),
				'failed allocations',
			);
			close(
				signals.external_prefix_cache_hit_rate,
				stepIncrease(168_000) / stepIncrease(280_000),
				'external hit rate',
			);
			close(
				signals.mm_cache_hit_rate,
				stepIncrease(300) / stepIncrease(900),
				'multimodal hit rate',
			);
			close(signals.corrupted_requests_per_s, perSecond(4), 'corrupted');
			close(
				signals.http_requests_per_s_by_status['5xx'] ?? Number.NaN,
				perSecond(8),
				'HTTP 5xx',
			);
			close(
				signals.http_requests_per_s_by_status['2xx'] ?? Number.NaN,
				perSecond(396) + perSecond(12),
				'HTTP 2xx, both handlers',
			);
			// Most prompts are 100..1000 tokens, most answers 50..500: the medians land there.
			assert.ok(signals.prompt_length_tokens.p50 > 100);
			assert.ok(signals.prompt_length_tokens.p50 <= 500);
			assert.ok(signals.generation_length_tokens.p50 > 50);
			assert.ok(signals.generation_length_tokens.p50 <= 200);
			assert.ok(
				signals.batch_tokens.p50 > 64 && signals.batch_tokens.p50 <= 128,
			);
			const histogram = signals.prompt_length_histogram;
			close(histogram['+Inf'] ?? Number.NaN, perSecond(400), 'all requests');
			close(
				histogram['500.0'] ?? Number.NaN,
				perSecond(304),
				'prompts up to 500',
			);
		});

		test('the --once report and the plain line name them', async () => {
			const report = await run(['--once', '--at', '5s']);
			for (const label of [
				'offload load',
				'offload cpu 35.0%',
				'external hit 60.0%',
				'multimodal hit 33.',
				'corrupted',
				'prompt len p50',
			]) {
				assert.ok(report.includes(label), `${label} in\n${report}`);
			}

			// NaN logits are the worse error: server_errors fires crit on them, counted over the 5 s between scrapes.
			assert.match(
				report,
				/server_errors: 5 corrupted requests \(NaN logits\) in the last 5 s\n\s+hint: logits held NaNs/v,
			);

			const plain = await run(['--plain', '--speed', 'max']);
			const last = plain.trim().split('\n').at(-1) ?? '';
			for (const label of [
				'Offload load: ',
				'Offload CPU: 35.0%',
				'External hit: 60.0%',
				'Corrupted: ',
			]) {
				assert.ok(last.includes(label), `${label} in ${last}`);
			}
		});
	},
);
