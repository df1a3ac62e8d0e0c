import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {mkdtemp, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {readRecording} from '../source/record/read-recording.js';
import {
	type RecordedEntry,
	encodeRecord,
} from '../source/record/record-line.js';
import {sampleResult} from './support/recorded-results.js';

const child = path.join(import.meta.dirname, 'support', 'record-child.ts');
const directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-crash-'));

after(async () => {
	await rm(directory, {recursive: true, force: true});
});

/** Starts the recording child, lets it write for a moment after it is ready, then kills it with SIGKILL. */
async function recordAndKill(file: string, extraMs: number): Promise<void> {
	const process_ = spawn(process.execPath, ['--import', 'tsx', child, file], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const exited = new Promise<NodeJS.Signals | null>(resolve => {
		process_.once('exit', (_code, signal) => {
			resolve(signal);
		});
	});
	let stderr = '';
	process_.stderr.on('data', (chunk: Uint8Array) => {
		stderr += chunk.toString();
	});
	try {
		await new Promise<void>((resolve, reject) => {
			process_.stdout.on('data', (chunk: Uint8Array) => {
				if (chunk.toString().includes('ready')) {
					resolve();
				}
			});
			process_.once('exit', code => {
				reject(new Error(`child exited early (${code}): ${stderr}`));
			});
		});
		await new Promise(resolve => {
			setTimeout(resolve, extraMs);
		});
	} finally {
		process_.kill('SIGKILL');
		assert.equal(await exited, 'SIGKILL', `child ended on its own: ${stderr}`);
	}
}

describe('crash safety', () => {
	for (const [name, extraMs] of [
		['killed.ndjson', 0],
		['killed-later.ndjson', 150],
		['killed.ndjson.gz', 0],
		['killed-later.ndjson.gz', 150],
	] as const) {
		test(
			`kill -9 while recording ${name}: every whole line reads back, at most the last is lost`,
			{timeout: 30_000},
			async () => {
				const file = path.join(directory, name);
				await recordAndKill(file, extraMs);
				const {size} = await stat(file);
				assert.ok(size > 0);

				const warnings: string[] = [];
				const entries: RecordedEntry[] = [];
				for await (const entry of readRecording(file, message => {
					warnings.push(message);
				})) {
					entries.push(entry);
				}

				assert.ok(
					entries.length > 20,
					`only ${entries.length} lines read back`,
				);
				for (const [index, entry] of entries.entries()) {
					assert.deepEqual(entry, {
						type: 'scrape',
						name: 'child',
						result: sampleResult(index, 20_000),
					});
				}

				assert.ok(warnings.length <= 1, warnings.join('\n'));
				for (const warning of warnings) {
					assert.ok(
						warning ===
							`${file} line ${entries.length + 1}: not valid JSON (truncated?); skipped` ||
							warning ===
								`${file}: truncated compressed data after line ${entries.length} (cut off by a crash?); the rest is skipped`,
						warning,
					);
				}
			},
		);
	}
});

describe('write errors', () => {
	test(
		'a line cut short by the disk is removed again; later lines are retried, and recovery is told',
		{timeout: 30_000},
		async () => {
			const file = path.join(directory, 'limited.ndjson');
			const lineBytes = (size: number) =>
				Buffer.byteLength(encodeRecord(sampleResult(0, size), 'child')) + 1;
			assert.ok(
				lineBytes(300) * 4 < 4096 &&
					lineBytes(300) * 3 + lineBytes(5000) > 4096,
			);
			// A 4 KiB file size limit (ulimit -f counts 1 KiB blocks): the 5000-byte lines fail part-way with EFBIG.
			const child_ = spawnSync(
				'bash',
				[
					'-c',
					'ulimit -f 4 && exec "$@"',
					'bash',
					process.execPath,
					'--import',
					'tsx',
					child,
					file,
					'sizes',
					'300',
					'300',
					'300',
					'5000',
					'5000',
					'300',
				],
				{encoding: 'utf8', timeout: 20_000},
			);
			assert.equal(child_.status, 0, child_.stderr);
			assert.deepEqual(JSON.parse(child_.stdout), {
				errors: [
					`cannot record to ${file}: the file is too large for this file system; start a new recording file; scrapes are not recorded meanwhile, monitoring goes on`,
				],
				recovered: 1,
			});

			const warnings: string[] = [];
			const entries: RecordedEntry[] = [];
			for await (const entry of readRecording(file, message => {
				warnings.push(message);
			})) {
				entries.push(entry);
			}

			assert.deepEqual(warnings, []);
			assert.deepEqual(
				entries,
				[0, 1, 2, 5].map(index => ({
					type: 'scrape',
					name: 'child',
					result: sampleResult(index * 7, 300),
				})),
			);
			const {size} = await stat(file);
			assert.equal(
				size,
				[0, 1, 2, 5].reduce(
					(sum, index) =>
						sum +
						Buffer.byteLength(
							encodeRecord(sampleResult(index * 7, 300), 'child'),
						) +
						1,
					0,
				),
				'no part of a failed line is left behind',
			);
		},
	);
});
