/**
Endless and damaged inputs: `--replay /dev/zero` stops within a second of SIGINT, SIGTERM or q in every mode;
`samples` never reads more than --max-bytes from a file; a recorded time out of range is one skipped line, named.
*/
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {describe, test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {z} from 'zod';
import {encodeRecord} from '../source/record/record-line.js';
import {cliMissing, repoRoot, runCli, startCli} from './support/run-cli.js';
import {startTmux, tmuxMissing} from './support/tmux.js';

const directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-hostile-files-'));
const endless = '/dev/zero';

async function stopTime(
	args: readonly string[],
	signal: NodeJS.Signals,
): Promise<number> {
	const running = startCli(args);
	// Long enough to be deep in the endless read.
	await delay(1500);
	const started = performance.now();
	const result = await running.stop(signal, {timeoutMs: 5000});
	const ms = performance.now() - started;
	assert.equal(
		result.signal,
		null,
		`ended by its own exit, not killed: ${running.describe()}`,
	);
	return ms;
}

describe('an endless replay input', {skip: cliMissing, timeout: 60_000}, () => {
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		test(`--replay /dev/zero --plain stops within 1 s of ${signal}`, async () => {
			const ms = await stopTime(['--replay', endless, '--plain'], signal);
			assert.ok(ms < 1000, `took ${Math.round(ms)} ms`);
		});
	}

	test('--once --replay /dev/zero stops within 1 s of SIGINT', async () => {
		const ms = await stopTime(['--once', '--replay', endless], 'SIGINT');
		assert.ok(ms < 1000, `took ${Math.round(ms)} ms`);
	});

	test(
		'the full-screen view of /dev/zero: q ends the process within 1 s',
		{skip: tmuxMissing()},
		async () => {
			const tmux = startTmux({
				command: `node dist/cli.js --replay ${endless}; echo EXITED:$?; sleep 30`,
				columns: 100,
				rows: 30,
				cwd: repoRoot,
			});
			try {
				await tmux.waitFor(screen => screen.includes('q quit'), 25_000);
				await delay(1000);
				const started = performance.now();
				tmux.sendKeys('q');
				await tmux.waitFor(screen => /^EXITED:0$/mu.test(screen), 5000);
				const ms = performance.now() - started;
				assert.ok(ms < 1000, `took ${Math.round(ms)} ms`);
			} finally {
				tmux.kill();
			}
		},
	);
});

describe(
	'samples reads a bounded amount',
	{skip: cliMissing, timeout: 30_000},
	() => {
		test('a FILE over --max-bytes is refused, naming the flag', async () => {
			const file = path.join(directory, 'big.prom');
			writeFileSync(file, 'vllm:num_requests_running 1\n'.repeat(200));
			const result = await runCli(['samples', '--max-bytes', '1024', file]);
			assert.equal(result.code, 66, result.stderr);
			assert.match(result.stderr, /larger than 1024 bytes: raise --max-bytes/u);
		});

		test('samples /dev/zero ends at the cap', async () => {
			const result = await runCli(['samples', '--max-bytes', '65536', endless]);
			assert.equal(result.code, 66, result.stderr);
			assert.match(result.stderr, /larger than 65536 bytes/u);
		});
	},
);

describe(
	'a recording with a time out of range',
	{skip: cliMissing, timeout: 30_000},
	() => {
		test('the bad line is skipped with its number and the rest replays', async () => {
			const page = 'vllm:num_requests_running 3\n';
			const line = (at: number) =>
				encodeRecord(
					{
						ok: true,
						url: 'http://h:8000/metrics',
						at,
						durationMs: 5,
						status: 200,
						contentType: 'text/plain',
						body: page,
					},
					'h',
				);
			const start = Date.parse('2026-01-01T00:00:00Z');
			const lines = [line(start), line(start + 5000), line(start + 10_000)];
			lines[1] = lines[1]!.replace(`"at":${start + 5000}`, '"at":1e300');
			const file = path.join(directory, 'far-future.ndjson');
			writeFileSync(file, lines.map(text => text.trimEnd()).join('\n') + '\n');
			const result = await runCli(['--once', '--json', '--replay', file]);
			assert.match(
				result.stderr,
				/line 2: field "at" must be a time in epoch milliseconds, got 1e\+300; skipped/u,
			);
			assert.doesNotMatch(result.stderr, /Invalid time value/u);
			const document = z
				.object({signals: z.object({requests_running: z.number()})})
				.parse(JSON.parse(result.stdout));
			assert.equal(document.signals.requests_running, 3);
		});
	},
);
