import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {request} from 'undici';
import {
	type Bucket,
	bucketQuantile,
} from '../source/derive/histogram-quantile.js';
import type {Page} from '../source/parse/page.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {cliMissing, runCli, startCli} from './support/run-cli.js';

async function page(url: string): Promise<Page> {
	const response = await request(`${url}/metrics`);
	const parsed = parseExposition(await response.body.text(), 'text');
	assert.ok(parsed.ok);
	return parsed.page;
}

function total(metrics: Page, name: string): number {
	return (metrics.byName.get(name) ?? [])
		.filter(sample => sample.labels['finished_reason'] !== 'abort')
		.reduce((sum, sample) => sum + sample.value, 0);
}

/** The server's TTFT median over the run, from the histogram's bucket increases (as histogram_quantile would). */
function serverTtftP50Ms(before: Page, after: Page): number {
	const name = 'vllm:time_to_first_token_seconds_bucket';
	const bounds = new Map<string, number>();
	for (const [metrics, sign] of [
		[after, 1],
		[before, -1],
	] as const) {
		for (const sample of metrics.byName.get(name) ?? []) {
			const le = sample.labels['le']!;
			bounds.set(le, (bounds.get(le) ?? 0) + sign * sample.value);
		}
	}

	const buckets: Bucket[] = [...bounds].map(([le, count]) => ({
		upperBound: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le),
		count,
	}));
	return bucketQuantile(0.5, buckets) * 1000;
}

/** A field of parsed JSON. */
function field(value: unknown, key: string): unknown {
	return typeof value === 'object' && value !== null
		? Reflect.get(value, key)
		: undefined;
}

test(
	'against simulate --no-traffic, 500 requests add up to what the server counted, and TTFT agrees',
	{skip: cliMissing, timeout: 120_000},
	async () => {
		const directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-bench-'));
		const simulator = startCli(
			['simulate', '--no-traffic', '--port', '0', '--seed', '3'],
			{timeoutMs: 110_000},
		);
		try {
			const line = await simulator.waitForLine(text =>
				text.includes('listening on'),
			);
			const url = /http:\/\/[\d.:]+/.exec(line)![0];
			const before = await page(url);
			const saved = path.join(directory, 'result.json');
			const run = await runCli(
				[
					'bench',
					url,
					'-n',
					'500',
					'--request-rate',
					'60',
					'--input-len',
					'100',
					'--range-ratio',
					'0.5',
					'--output-len',
					'12',
					'--seed',
					'2',
					'--json',
					'--save-result',
					saved,
					'--save-detailed',
					'--percentiles',
					'50,90,95,99',
				],
				{timeoutMs: 90_000},
			);
			assert.equal(run.code, 0, run.stderr);
			const after = await page(url);
			const result: unknown = JSON.parse(run.stdout);
			const number = (key: string) => Number(field(result, key));
			assert.equal(number('completed'), 500);
			assert.equal(number('failed'), 0);
			assert.equal(
				number('completed'),
				total(after, 'vllm:request_success_total') -
					total(before, 'vllm:request_success_total'),
			);
			assert.equal(
				number('total_output_tokens'),
				total(after, 'vllm:generation_tokens_total') -
					total(before, 'vllm:generation_tokens_total'),
			);
			assert.equal(
				number('total_input_tokens'),
				total(after, 'vllm:prompt_tokens_total') -
					total(before, 'vllm:prompt_tokens_total'),
			);
			const client = number('median_ttft_ms');
			const server = serverTtftP50Ms(before, after);
			assert.ok(
				Math.abs(client - server) <= 10 + 0.1 * server,
				`client TTFT p50 ${client} ms, server ${server} ms`,
			);

			const python = spawnSync(
				'python3',
				[
					'-c',
					[
						'import json, sys',
						'd = json.load(open(sys.argv[1]))',
						'keys = ["completed", "failed", "total_input_tokens", "total_output_tokens", "request_throughput", "request_goodput", "output_throughput", "total_token_throughput"]',
						'keys += [f"{s}_{m}_ms" for m in ("ttft", "tpot", "itl", "e2el") for s in ("mean", "median", "std", "p99", "p50", "p90", "p95")]',
						'missing = [k for k in keys if k not in d]',
						'assert not missing, missing',
						'assert len(d["ttfts"]) == len(d["itls"]) == len(d["input_lens"]) == 500',
						'print(d["completed"])',
					].join('\n'),
					saved,
				],
				{encoding: 'utf8'},
			);
			if (python.error === undefined) {
				assert.equal(python.status, 0, python.stderr);
				assert.equal(python.stdout.trim(), '500');
			}
		} finally {
			await simulator.stop('SIGINT');
			rmSync(directory, {recursive: true, force: true});
		}
	},
);
