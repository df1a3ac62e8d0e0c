/**
The outputs scripts read, pinned byte for byte: `--json` (one document per scrape and the `--once` document), the
plain line and the `--once` report, replayed from recordings of the fixture pages, and the PromQL `--prometheus`
sends. A refactoring that changes one of them fails here; a deliberate change rewrites the files under
test/pinned/ with `UPDATE_PINNED=1 node scripts/run-tests.mjs pinned-output` and shows in the diff.
*/
import assert from 'node:assert/strict';
import {mkdtempSync} from 'node:fs';
import {readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {panelQueries} from '../source/prometheus/panel-queries.js';
import {fixtureRecording} from './support/fixture-recording.js';
import {cliMissing, runCli} from './support/run-cli.js';

const pinnedDirectory = new URL('pinned/', import.meta.url).pathname;
const update = process.env['UPDATE_PINNED'] === '1';

async function assertPinned(name: string, actual: string): Promise<void> {
	const file = path.join(pinnedDirectory, name);
	if (update) {
		await writeFile(file, actual);
		return;
	}

	assert.equal(actual, await readFile(file, 'utf8'), `differs from ${file}`);
}

const fixtures = [
	['v1', 'vllm-v1-generated-dp2-specdec-lora.txt'],
	['v0', 'vllm-v0-opt125m.txt'],
] as const;

describe('pinned outputs of the fixture recordings', {skip: cliMissing}, () => {
	const directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-pinned-'));
	after(async () => {
		await rm(directory, {recursive: true, force: true});
	});

	for (const [label, fixture] of fixtures) {
		const runs: ReadonlyArray<readonly [string, readonly string[]]> = [
			[`${label}.ndjson`, ['--json', '--speed', 'max']],
			[`${label}.plain.txt`, ['--plain', '--speed', 'max']],
			[`${label}.once.json`, ['--once', '--json']],
			[`${label}.once-at-5s.txt`, ['--once', '--at', '5s']],
		];
		for (const [name, args] of runs) {
			test(`${label}: ${args.join(' ')}`, async () => {
				const file = path.join(directory, `${label}.ndjson`);
				await writeFile(
					file,
					fixtureRecording(fixture, 'http://127.0.0.1:8000/metrics'),
				);
				const result = await runCli(['--replay', file, ...args]);
				assert.equal(result.stderr, '');
				await assertPinned(name, result.stdout);
			});
		}
	}
});

test('the PromQL of every --prometheus panel', async () => {
	const queries = (slices: boolean) =>
		Object.values(
			panelQueries({
				match: '{job="vllm"}',
				by: 'instance',
				rateWindow: '1m',
				latencyWindow: '60s',
				slices,
			}),
		)
			.toSorted()
			.join('\n');
	await assertPinned(
		'promql.txt',
		`${queries(true)}\n--- totals only ---\n${queries(false)}\n`,
	);
});
