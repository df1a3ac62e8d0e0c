/**
The live run when stdout is not a terminal (a pipe, a log file): plain lines or NDJSON snapshots, one per scrape,
ended cleanly by SIGINT/SIGTERM, and never a crash when the server is or goes away.
*/
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {startHttpServer} from './support/http-server.js';
import {cliMissing, snapshotSchema, startCli} from './support/run-cli.js';

// eslint-disable-next-line no-control-regex
const escapeCode = /\u001B/;

/** The ISO time each plain line starts with, in ms. */
function lineTime(line: string): number {
	const stamp = line.split(' ')[0] ?? '';
	const time = Date.parse(stamp);
	assert.ok(Number.isFinite(time), `no time at the start of: ${line}`);
	return time;
}

async function closedPort(): Promise<number> {
	const server = await startHttpServer((_request, response) => {
		response.end();
	});
	await server.close();
	return server.port;
}

describe(
	'plain and NDJSON lines',
	{skip: cliMissing, timeout: 60_000, concurrency: 2},
	() => {
		test('plain lines every half second; SIGINT ends with exit 0 and no escape codes', async () => {
			const simulator = await startSimulator({seed: 4});
			const cli = startCli([simulator.url, '-i', '0.5'], {timeoutMs: 30_000});
			try {
				await cli.waitForLine(() => cli.lines().length >= 3, {
					timeoutMs: 15_000,
				});
				const result = await cli.stop('SIGINT');
				assert.equal(result.code, 0, cli.describe());
				assert.doesNotMatch(result.stdout, escapeCode);
				assert.doesNotMatch(result.stderr, escapeCode);
				const lines = result.stdout.split('\n').filter(line => line !== '');
				assert.ok(lines.length >= 3);
				for (const line of lines) {
					assert.match(line, /Running: \d+/);
					assert.match(line, /KV cache: [\d.]+%/);
					assert.match(line, /\bOK\b|\bWARN\b|\bCRIT\b/);
				}

				// -i 0.5, not the default 5 s.
				const gap = lineTime(lines[2]!) - lineTime(lines[1]!);
				assert.ok(gap > 200 && gap < 2000, `${gap} ms between lines`);
			} finally {
				await cli.stop('SIGKILL');
				await simulator.stop();
			}
		});

		test('--json prints one schema 1 snapshot per line', async () => {
			const simulator = await startSimulator({seed: 4});
			const cli = startCli([simulator.url, '--json', '-i', '0.5'], {
				timeoutMs: 30_000,
			});
			try {
				await cli.waitForLine(() => cli.lines().length >= 3, {
					timeoutMs: 15_000,
				});
				const result = await cli.stop('SIGINT');
				assert.equal(result.code, 0, cli.describe());
				assert.doesNotMatch(result.stdout, escapeCode);
				const documents = result.stdout
					.split('\n')
					.filter(line => line !== '')
					.map(line => snapshotSchema.parse(JSON.parse(line)));
				assert.ok(documents.length >= 3);
				for (const document of documents) {
					assert.equal(document.server.generation, 'v1');
					assert.equal(typeof document.signals['requests_running'], 'number');
				}

				// Rates need two scrapes: from the second line on they are numbers.
				assert.equal(
					typeof documents[2]!.signals['generation_tokens_per_s'],
					'number',
				);
				const times = documents.map(document => Date.parse(document.at));
				assert.deepEqual(
					times,
					times.toSorted((a, b) => a - b),
				);
			} finally {
				await cli.stop('SIGKILL');
				await simulator.stop();
			}
		});

		test('a dead port: DOWN lines with the error, until SIGTERM (exit 0)', async () => {
			const port = await closedPort();
			const cli = startCli([`http://127.0.0.1:${port}`, '-i', '0.5'], {
				timeoutMs: 30_000,
			});
			try {
				await cli.waitForLine(() => cli.lines().length >= 3, {
					timeoutMs: 15_000,
				});
				const result = await cli.stop('SIGTERM');
				assert.equal(result.code, 0, cli.describe());
				const lines = result.stdout.split('\n').filter(line => line !== '');
				for (const line of lines) {
					assert.match(line, /DOWN/);
					assert.match(line, /connection refused/);
				}

				assert.equal(result.stderr, '');
			} finally {
				await cli.stop('SIGKILL');
			}
		});

		test('a server that goes away mid-run turns the lines STALE with the error, without a crash', async () => {
			const simulator = await startSimulator({seed: 6});
			const cli = startCli([simulator.url, '-i', '0.5'], {timeoutMs: 30_000});
			let stopped = false;
			try {
				await cli.waitForLine(line => / OK,| WARN,/.test(line), {
					timeoutMs: 15_000,
				});
				await simulator.stop();
				stopped = true;
				const from = cli.lines().length;
				// The last values stay on the line, marked stale, beside the error.
				await cli.waitForLine(
					line =>
						/STALE|DOWN/.test(line) && line.includes('connection refused'),
					{
						timeoutMs: 15_000,
						from,
					},
				);
				const result = await cli.stop('SIGINT');
				assert.equal(result.code, 0, cli.describe());
			} finally {
				await cli.stop('SIGKILL');
				if (!stopped) {
					await simulator.stop();
				}
			}
		});
	},
);
