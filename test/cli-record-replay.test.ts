/**
`--record` and `--replay` on the built CLI: a live run against the simulator prints its NDJSON snapshots while it
records, and the recording replayed (at max speed, or as `--once` at its end or at `--at`) must give the very same
snapshots. Also: gzip recordings, a recorder killed with SIGKILL, and a missing recording.
*/
import assert from 'node:assert/strict';
import {readFile, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {isDeepStrictEqual} from 'node:util';
import {gunzipSync} from 'node:zlib';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {fixtureRecording} from './support/fixture-recording.js';
import {
	cliMissing,
	parseJsonLines,
	parseSnapshot,
	runCli,
	startCli,
} from './support/run-cli.js';

let directory = '';

type LiveRun = {
	readonly file: string;
	/** The snapshots the live run printed, parsed, in order. */
	readonly snapshots: readonly unknown[];
};

const minimumLines = 6;

/** Records the simulator for about three seconds (six scrapes at -i 0.5) with `--json`, then SIGINT. */
async function recordLive(
	name: string,
	extra: readonly string[] = ['--json'],
): Promise<LiveRun & {readonly stdout: string}> {
	const file = path.join(directory, name);
	const simulator = await startSimulator({seed: 11, scenario: 'burst'});
	const cli = startCli(
		[simulator.url, ...extra, '--record', file, '-i', '0.5'],
		{
			timeoutMs: 30_000,
		},
	);
	try {
		await cli.waitForLine(() => cli.lines().length >= minimumLines, {
			timeoutMs: 20_000,
		});
		const result = await cli.stop('SIGINT');
		assert.equal(result.code, 0, cli.describe());
		return {
			file,
			stdout: result.stdout,
			snapshots: extra.includes('--json') ? parseJsonLines(result.stdout) : [],
		};
	} finally {
		await cli.stop('SIGKILL');
		await simulator.stop();
	}
}

/** The NDJSON lines of a recording, gunzipped when it is .gz. */
async function recordingLines(file: string): Promise<unknown[]> {
	const bytes = await readFile(file);
	const text = file.endsWith('.gz')
		? gunzipSync(bytes).toString('utf8')
		: bytes.toString('utf8');
	return parseJsonLines(text);
}

function isScrapeRecord(line: unknown): boolean {
	return (
		typeof line === 'object' &&
		line !== null &&
		'v' in line &&
		line.v === 1 &&
		'body' in line &&
		(!('type' in line) || line.type === 'scrape')
	);
}

let plain: LiveRun;
let gzipped: LiveRun;

before(async () => {
	directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-cli-replay-'));
	if (cliMissing === undefined) {
		[plain, gzipped] = await Promise.all([
			recordLive('live.ndjson'),
			recordLive('live.ndjson.gz'),
		]);
	}
});

after(async () => {
	await rm(directory, {recursive: true, force: true});
});

describe(
	'record and replay',
	{skip: cliMissing, timeout: 90_000, concurrency: 3},
	() => {
		test('the recording holds one NDJSON line per scrape', async () => {
			const lines = await recordingLines(plain.file);
			const scrapes = lines.filter(line => isScrapeRecord(line));
			assert.ok(
				scrapes.length >= plain.snapshots.length,
				`${scrapes.length} scrape records for ${plain.snapshots.length} printed snapshots`,
			);
		});

		test('.gz recordings are gzip and hold the same kind of lines', async () => {
			const bytes = await readFile(gzipped.file);
			assert.equal(bytes[0], 0x1f);
			assert.equal(bytes[1], 0x8b);
			const lines = await recordingLines(gzipped.file);
			assert.ok(
				lines.filter(line => isScrapeRecord(line)).length >= minimumLines,
			);
		});

		for (const [label, run] of [
			['NDJSON', () => plain],
			['gzip', () => gzipped],
		] as const) {
			test(`${label}: --once --replay reports the last live snapshot exactly`, async () => {
				const {file, snapshots} = run();
				const result = await runCli(['--once', '--replay', file, '--json']);
				assert.ok(result.code !== null && result.code <= 2, result.stderr);
				assert.equal(result.stderr, '');
				const replayed: unknown = JSON.parse(result.stdout);
				assert.ok(snapshots.length >= minimumLines);
				assert.deepEqual(replayed, snapshots.at(-1));
			});

			test(`${label}: --replay --json --speed max prints the live sequence`, async () => {
				const {file, snapshots} = run();
				const result = await runCli([
					'--replay',
					file,
					'--json',
					'--speed',
					'max',
				]);
				assert.equal(result.code, 0, result.stderr);
				assert.deepEqual(parseJsonLines(result.stdout), snapshots);
			});
		}

		test('--once --replay --at 1 reports an earlier moment than the end', async () => {
			const last = await runCli(['--once', '--replay', plain.file, '--json']);
			const end = parseSnapshot(last.stdout);
			const early = await runCli([
				'--once',
				'--replay',
				plain.file,
				'--at',
				'1',
				'--json',
			]);
			assert.ok(early.code !== null && early.code <= 2, early.stderr);
			const moment = parseSnapshot(early.stdout);
			assert.ok(
				Date.parse(moment.at) < Date.parse(end.at),
				`${moment.at} is not before ${end.at}`,
			);
			// One second in: one of the first live snapshots, exactly.
			const earlyDocument: unknown = JSON.parse(early.stdout);
			assert.ok(
				plain.snapshots
					.slice(0, 4)
					.some(snapshot => isDeepStrictEqual(snapshot, earlyDocument)),
				'the --at snapshot is one of the early live ones',
			);
		});

		test('--once --replay --at after the end is one line naming the length, exit 2', async () => {
			// Three scrapes 5 s apart: 10 s long.
			const file = path.join(directory, 'ten-seconds.ndjson');
			await writeFile(
				file,
				fixtureRecording(
					'vllm-v1-generated-dp2-specdec-lora.txt',
					'http://127.0.0.1:8000/metrics',
				),
			);
			const late = await runCli(['--once', '--replay', file, '--at', '5m']);
			assert.equal(late.code, 2, late.stdout + late.stderr);
			assert.equal(late.stdout, '');
			const lines = late.stderr.trimEnd().split('\n');
			assert.equal(lines.length, 1, late.stderr);
			assert.match(
				lines[0]!,
				/--at 5m is past the end of .*ten-seconds\.ndjson, which is 10s long/,
			);
			// The last moment it holds is fine.
			const end = await runCli(['--once', '--replay', file, '--at', '10s']);
			assert.ok(end.code !== null && end.code <= 2, end.stderr);
			assert.equal(end.stderr, '');
			assert.match(end.stdout, /vLLM/);
		});

		test('a recorder killed with SIGKILL leaves a file that replays', async () => {
			for (const name of ['killed.ndjson', 'killed.ndjson.gz']) {
				const file = path.join(directory, name);
				const simulator = await startSimulator({seed: 12});
				const cli = startCli(
					[simulator.url, '--plain', '--record', file, '-i', '0.5'],
					{
						timeoutMs: 30_000,
					},
				);
				try {
					await cli.waitForLine(() => cli.lines().length >= 3, {
						timeoutMs: 15_000,
					});
					const killed = await cli.stop('SIGKILL');
					assert.equal(killed.signal, 'SIGKILL');
				} finally {
					await cli.stop('SIGKILL');
					await simulator.stop();
				}

				const result = await runCli(['--once', '--replay', file, '--json']);
				assert.ok(
					result.code !== null && result.code <= 2,
					`${name}: ${result.stderr}`,
				);
				const snapshot = parseSnapshot(result.stdout);
				assert.equal(snapshot.server.generation, 'v1');
				assert.equal(typeof snapshot.signals['requests_running'], 'number');
				// At most the line being written when it died is lost, with at most one warning about it.
				const warnings = result.stderr.split('\n').filter(line => line !== '');
				assert.ok(warnings.length <= 1, `${name}: ${result.stderr}`);
			}
		});

		test('--replay of a missing file exits 2 with one line', async () => {
			const missing = path.join(directory, 'missing.ndjson');
			const result = await runCli(['--once', '--replay', missing]);
			assert.equal(result.code, 2);
			const lines = result.stderr.split('\n').filter(line => line !== '');
			assert.equal(lines.length, 1, result.stderr);
			assert.match(lines[0]!, /missing\.ndjson/);
			assert.equal(result.stdout, '');
		});
	},
);
