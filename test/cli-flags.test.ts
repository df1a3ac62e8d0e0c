/**
Bad flags on the built CLI: each is refused before anything runs, with exit 2 and one line on stderr that names the
flag (or file) at fault, so a typo in a cron job or a probe is obvious from its log.
*/
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {after, before, describe, test} from 'node:test';
import {cliMissing, repoRoot, runCli} from './support/run-cli.js';

let directory = '';

before(async () => {
	directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-cli-flags-'));
});

after(async () => {
	await rm(directory, {recursive: true, force: true});
});

/** Port 1 on loopback: nothing is scraped anyway when the flags are refused first. */
const unused = 'http://127.0.0.1:1';

async function assertRefused(
	args: readonly string[],
	names: RegExp,
): Promise<void> {
	const result = await runCli(args, {timeoutMs: 10_000});
	assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
	const lines = result.stderr.split('\n').filter(line => line !== '');
	assert.equal(
		lines.length,
		1,
		`one line for ${args.join(' ')}: ${result.stderr}`,
	);
	assert.match(lines[0]!, names);
	assert.equal(result.stdout, '', 'nothing on stdout');
}

describe(
	'bad flags',
	{skip: cliMissing, timeout: 60_000, concurrency: 4},
	() => {
		test('--interval abc', async () => {
			await assertRefused(
				['--once', '--interval', 'abc', unused],
				/--interval.*'abc'/,
			);
		});

		test('--interval 100 (out of range)', async () => {
			await assertRefused(
				['--once', '--interval', '100', unused],
				/--interval.*100/,
			);
		});

		test('--bogus (unknown flag)', async () => {
			const result = await runCli(['--bogus', unused]);
			assert.equal(result.code, 2, result.stderr);
			assert.equal(
				result.stderr,
				'vllm-top: unknown flag --bogus (see vllm-top --help)\n',
			);
		});

		test('--json with --plain', async () => {
			await assertRefused(['--json', '--plain', unused], /--json.*--plain/);
		});

		test('--format xml', async () => {
			await assertRefused(
				['--once', '--format', 'xml', unused],
				/--format.*'xml'/,
			);
		});

		test("--header 'bad'", async () => {
			await assertRefused(
				['--once', '--header', 'bad', unused],
				/--header: expected 'Name: value'/,
			);
		});

		test('--threshold with an unknown alert id', async () => {
			await assertRefused(
				['--once', '--threshold', 'nope.value=1', unused],
				/--threshold.*nope/,
			);
		});

		test('--config of a missing file', async () => {
			const missing = path.join(directory, 'missing.yaml');
			await assertRefused(
				['--once', '--config', missing, unused],
				/--config.*missing\.yaml/,
			);
		});

		test('--config with an unknown key names the file and the key', async () => {
			const file = path.join(directory, 'unknown-key.yaml');
			await writeFile(
				file,
				'thresholds:\n  kv_cache_pressure:\n    value: 0.95\nmystery_setting: 1\n',
			);
			await assertRefused(
				['--once', '--config', file, unused],
				/unknown-key\.yaml.*mystery_setting/,
			);
		});

		test('--config with a good file is accepted (the refusals are not blanket)', async () => {
			const file = path.join(directory, 'good.yaml');
			await writeFile(
				file,
				'thresholds:\n  kv_cache_pressure:\n    value: 0.95\n',
			);
			const result = await runCli([
				'--once',
				'-i',
				'0.5',
				'--config',
				file,
				unused,
			]);
			// Port 1 is closed: the check runs and reports the target down.
			assert.equal(result.code, 3, result.stderr);
		});

		test('--scenario nope with --demo', async () => {
			await assertRefused(
				['--demo', '--plain', '--scenario', 'nope'],
				/--scenario.*'nope'/,
			);
		});

		test('--at without --replay', async () => {
			await assertRefused(['--once', '--at', '5', unused], /--at.*--replay/);
		});

		test('--speed 0', async () => {
			const file = path.join(directory, 'any.ndjson');
			await assertRefused(['--replay', file, '--speed', '0'], /--speed.*"0"/);
		});

		test('a URL with a scheme that cannot be scraped', async () => {
			await assertRefused(['--once', 'ftp://x'], /ftp/);
		});

		test('--help exits 0 and lists --once', async () => {
			const result = await runCli(['--help']);
			assert.equal(result.code, 0, result.stderr);
			assert.match(result.stdout, /--once/);
			assert.match(result.stdout, /Usage/);
		});

		test('--help (or -h) anywhere, before or after a command or URL, prints the same help, not an unknown flag', async () => {
			const alone = await runCli(['--help']);
			for (const args of [
				['samples', '--help'],
				['simulate', '--help'],
				['export', '--help'],
				['--once', unused, '--help'],
				['--help', 'samples'],
				['-h'],
			]) {
				const result = await runCli(args);
				assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
				assert.equal(result.stderr, '', args.join(' '));
				assert.equal(result.stdout, alone.stdout, args.join(' '));
			}
		});

		test('--version prints the package version and how it runs', async () => {
			const manifest: unknown = JSON.parse(
				readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
			);
			assert.ok(
				typeof manifest === 'object' &&
					manifest !== null &&
					'version' in manifest,
			);
			const expected = `${String(manifest.version)} (node ${process.version}, ${process.platform}-${process.arch})`;
			for (const args of [
				['--version'],
				['--version', unused],
				['samples', '--version'],
			]) {
				const result = await runCli(args);
				assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
				assert.equal(result.stdout.trim(), expected, args.join(' '));
			}
		});
	},
);

test('a flag of another mode is refused, not ignored', async t => {
	if (cliMissing) {
		t.skip(cliMissing);
		return;
	}

	for (const [args, flag] of [
		[['--once', '--port', '8001'], '--port'],
		[['--speed', '10', 'localhost:1'], '--speed'],
		[['--match', '{job="vllm"}', 'localhost:1'], '--match'],
		[['--duration', '3', 'localhost:1'], '--duration'],
		[['--scenario', 'steady', 'localhost:1'], '--scenario'],
		[['samples', '--record', 'x.ndjson', '-'], '--record'],
	] as const) {
		const result = await runCli(args);
		assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
		assert.match(
			result.stderr,
			new RegExp(`^vllm-top: ${flag} only applies to `),
		);
		assert.equal(result.stderr.trim().split('\n').length, 1);
	}
});
