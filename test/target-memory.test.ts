/**
What a target holds after 20 minutes of scrapes: a fleet of 1,000 keeps 1,000 of these, so the recent history the
rules read keeps only the fields they read, not every signal of every scrape.
*/
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {test} from 'node:test';
import {z} from 'zod';
import {trendKeys} from '../source/alerts/trend-signals.js';
import {ingestScrape} from '../source/pipeline/ingest-scrape.js';
import {historyCapacity} from '../source/pipeline/history.js';
import {initialTargetState} from '../source/pipeline/target-reducer.js';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {fixturePath} from './support/fixture-path.js';
import {repoRoot} from './support/run-cli.js';

const page = fixturePath('vllm-v1-generated-dp2-specdec-lora.txt');

test('recent history is bounded and keeps only the fields the rules read', () => {
	const body = readFileSync(page, 'utf8');
	let state = initialTargetState('t', 'http://127.0.0.1:8000/metrics');
	for (let index = 0; index < historyCapacity + 20; index++) {
		state = ingestScrape(
			state,
			{
				ok: true,
				url: 'http://127.0.0.1:8000/metrics',
				at: 1_000_000 + index * 5000,
				durationMs: 1,
				status: 200,
				contentType: 'text/plain; version=0.0.4',
				body,
			},
			{windowSeconds: 60, alertConfig: defaultAlertConfig},
		);
	}

	assert.equal(state.recent.length, historyCapacity);
	for (const entry of state.recent) {
		assert.deepEqual(
			Object.keys(entry.signals).toSorted(),
			trendKeys.toSorted(),
		);
	}

	assert.equal(
		state.recent.at(-1)?.signals.requests_running,
		state.view.snapshot?.signals.requests_running,
	);
});

test('a target holds under 350 KB of heap after 20 minutes of scrapes of one page', () => {
	// A child with --expose-gc, so the heap is measured after a full collection.
	const script = `
		import {readFileSync} from 'node:fs';
		import {ingestScrape} from './source/pipeline/ingest-scrape.ts';
		import {initialTargetState} from './source/pipeline/target-reducer.ts';
		import {defaultAlertConfig} from './source/alerts/alert-config.ts';
		const body = readFileSync(${JSON.stringify(page)}, 'utf8');
		const url = 'http://127.0.0.1:8000/metrics';
		const run = () => {
			let state = initialTargetState('t', url);
			for (let index = 0; index < 260; index++) {
				state = ingestScrape(state, {ok: true, url, at: 1e6 + index * 5000, durationMs: 1, status: 200,
					contentType: 'text/plain; version=0.0.4', body}, {windowSeconds: 60, alertConfig: defaultAlertConfig});
			}
			return state;
		};
		run();
		const kept = [];
		globalThis.gc(); const before = process.memoryUsage().heapUsed;
		for (let target = 0; target < 8; target++) kept.push(run());
		globalThis.gc(); const after = process.memoryUsage().heapUsed;
		console.log(JSON.stringify({perTarget: (after - before) / kept.length}));
	`;
	const result = spawnSync(
		process.execPath,
		['--import', 'tsx', '--expose-gc', '--input-type=module', '-e', script],
		{cwd: repoRoot, encoding: 'utf8', timeout: 120_000},
	);
	assert.equal(result.status, 0, result.stderr);
	const {perTarget} = z
		.object({perTarget: z.number()})
		.parse(JSON.parse(result.stdout.trim().split('\n').at(-1)!));
	// With every signal of 240 scrapes kept, a target held about 580 KB of this page; now it holds about 170 KB.
	assert.ok(
		perTarget < 350 * 1024,
		`a target holds ${(perTarget / 1024).toFixed(0)} KB`,
	);
});
