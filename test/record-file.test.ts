import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {
	appendFile,
	mkdtemp,
	readFile,
	readdir,
	rm,
	stat,
	truncate,
	writeFile,
} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {gunzipSync, gzipSync} from 'node:zlib';
import {LineSplitter} from '../source/record/line-splitter.js';
import {
	openRecording,
	readRecording,
	maxLineWarnings,
} from '../source/record/read-recording.js';
import {
	encodeEntry,
	encodeRecord,
	type RecordedEntry,
} from '../source/record/record-line.js';
import {openRecorder, type Recorder} from '../source/record/recorder.js';
import {sampleResult} from './support/recorded-results.js';

const testOptions = {timeout: 20_000};
let directory: string;

before(async () => {
	directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-record-'));
});

after(async () => {
	await rm(directory, {recursive: true, force: true});
});

async function open(
	name: string,
	errors: string[] = [],
): Promise<{file: string; recorder: Recorder}> {
	const file = path.join(directory, name);
	const opened = await openRecorder(file, {
		onError(message) {
			errors.push(message);
		},
	});
	assert.ok(opened.ok, opened.ok ? '' : opened.error);
	return {file, recorder: opened.recorder};
}

async function readAll(
	file: string,
): Promise<{entries: RecordedEntry[]; warnings: string[]}> {
	const warnings: string[] = [];
	const entries: RecordedEntry[] = [];
	for await (const entry of readRecording(file, message => {
		warnings.push(message);
	})) {
		entries.push(entry);
	}

	return {entries, warnings};
}

function scrapes(count: number, from = 0): RecordedEntry[] {
	return Array.from({length: count}, (_, index) => ({
		type: 'scrape' as const,
		name: `t${(from + index) % 3}`,
		result: sampleResult(from + index),
	}));
}

function write(recorder: Recorder, entries: readonly RecordedEntry[]): void {
	for (const entry of entries) {
		recorder.write(encodeEntry(entry));
	}
}

async function openError(file: string): Promise<string> {
	const opened = await openRecorder(file);
	assert.equal(opened.ok, false, `expected ${file} to be refused`);
	return opened.ok ? '' : opened.error;
}

describe('recorder and reader', () => {
	for (const name of ['plain.ndjson', 'packed.ndjson.gz']) {
		test(
			`${name}: every written line is read back deep-equal, in order, across reopen (append)`,
			testOptions,
			async () => {
				const written = [
					...scrapes(40),
					{
						type: 'meta' as const,
						name: 't0',
						meta: {
							at: 1,
							url: 'http://127.0.0.1:8000',
							version: '0.11.0',
							healthStatus: 200,
						},
					},
				];
				const first = await open(name);
				write(first.recorder, written.slice(0, 25));
				await first.recorder.close();
				const second = await open(name);
				write(second.recorder, written.slice(25));
				await second.recorder.close();
				second.recorder.write('after close is ignored');

				const {entries, warnings} = await readAll(first.file);
				assert.deepEqual(warnings, []);
				assert.deepEqual(entries, written);
			},
		);
	}

	test(
		'a .gz recording is one gzip stream that gunzip reads whole',
		testOptions,
		async () => {
			const {file, recorder} = await open('whole.ndjson.gz');
			write(recorder, scrapes(5));
			await recorder.close();
			const text = gunzipSync(await readFile(file)).toString('utf8');
			const lines = text.split('\n');
			assert.equal(lines.length, 6);
			assert.equal(lines[5], '');
			assert.deepEqual(
				lines.slice(0, 5),
				scrapes(5).map(entry =>
					entry.type === 'scrape' ? encodeRecord(entry.result, entry.name) : '',
				),
			);
		},
	);

	test(
		'the file format is read from its bytes, not its name',
		testOptions,
		async () => {
			const {file, recorder} = await open('renamed.ndjson.gz');
			write(recorder, scrapes(3));
			await recorder.close();
			const renamed = path.join(directory, 'renamed-without-suffix');
			await writeFile(renamed, await readFile(file));
			const {entries, warnings} = await readAll(renamed);
			assert.deepEqual(warnings, []);
			assert.deepEqual(entries, scrapes(3));
		},
	);

	test(
		'a truncated last line, a corrupt middle line and an unknown version are skipped with the line number',
		testOptions,
		async () => {
			const {file, recorder} = await open('damaged.ndjson');
			write(recorder, scrapes(3));
			recorder.write('{"v":1,"at":garbage');
			write(recorder, scrapes(2, 3));
			recorder.write(
				encodeRecord(sampleResult(9), 'x').replace('"v":1', '"v":7'),
			);
			recorder.write('');
			write(recorder, scrapes(1, 5));
			await recorder.close();
			const last = encodeRecord(sampleResult(6), 'x');
			await appendFile(file, last.slice(0, -40));

			const {entries, warnings} = await readAll(file);
			assert.deepEqual(entries, [
				...scrapes(3),
				...scrapes(2, 3),
				...scrapes(1, 5),
			]);
			assert.deepEqual(warnings, [
				`${file} line 4: not valid JSON (truncated?); skipped`,
				`${file} line 7: record version 7 is not supported (this vllm-top reads version 1; a newer vllm-top wrote it?); skipped`,
				`${file} line 10: not valid JSON (truncated?); skipped`,
			]);
		},
	);

	test(
		'a last line without its newline is still read when it is whole',
		testOptions,
		async () => {
			const file = path.join(directory, 'no-final-newline.ndjson');
			await writeFile(
				file,
				`${encodeRecord(sampleResult(0), 'a')}\n${encodeRecord(sampleResult(1), 'a')}`,
			);
			const {entries, warnings} = await readAll(file);
			assert.deepEqual(warnings, []);
			assert.equal(entries.length, 2);
		},
	);

	test(
		'a truncated gzip tail ends the stream with a warning after the last whole line',
		testOptions,
		async () => {
			const {file, recorder} = await open('cut.ndjson.gz');
			write(recorder, scrapes(12));
			await recorder.close();
			const {size} = await stat(file);
			await truncate(file, size - 30);

			const {entries, warnings} = await readAll(file);
			assert.deepEqual(entries, scrapes(11));
			assert.deepEqual(warnings, [
				`${file}: truncated compressed data after line 11 (cut off by a crash?); the rest is skipped`,
			]);
		},
	);

	test(
		'corrupt compressed data is a warning, not a crash',
		testOptions,
		async () => {
			const file = path.join(directory, 'corrupt.gz');
			const member = gzipSync(`${encodeRecord(sampleResult(0), 'a')}\n`);
			const broken = Buffer.concat([member, member]);
			broken.fill(0x55, member.length + 12, member.length + 40);
			await writeFile(file, broken);
			const {warnings} = await readAll(file);
			assert.equal(warnings.length, 1);
			assert.match(
				warnings[0] ?? '',
				/compressed data after line \d; the rest is skipped/v,
			);
		},
	);

	test(
		'a file that is not a recording yields a bounded number of warnings',
		testOptions,
		async () => {
			const file = path.join(directory, 'not-a-recording.txt');
			await writeFile(file, 'hello\n'.repeat(500));
			const {entries, warnings} = await readAll(file);
			assert.deepEqual(entries, []);
			assert.equal(warnings.length, maxLineWarnings + 1);
			assert.equal(
				warnings.at(-1),
				`${file}: 480 more bad lines skipped without a warning each (500 in all)`,
			);
		},
	);

	test(
		'stopping early closes the file',
		{
			...testOptions,
			skip: existsSync('/proc/self/fd') ? false : 'no /proc here',
		},
		async () => {
			const {file, recorder} = await open('early.ndjson.gz');
			write(recorder, scrapes(200));
			await recorder.close();
			const openFiles = async () => {
				const names = await readdir('/proc/self/fd');
				return names.length;
			};

			const before = await openFiles();
			const entries = readRecording(file, () => undefined);
			const first = await entries.next();
			assert.equal(first.done, false);
			await entries.return();
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
			assert.equal(await openFiles(), before);
		},
	);

	test(
		'a missing file or a directory is a clear error at open',
		testOptions,
		async () => {
			const missing = path.join(directory, 'nope.ndjson');
			assert.deepEqual(await openRecording(missing, () => undefined), {
				ok: false,
				error: `cannot read ${missing}: no such file; check the path`,
			});
			const asDirectory = await openRecording(directory, () => undefined);
			assert.deepEqual(asDirectory, {
				ok: false,
				error: `cannot read ${directory}: it is a directory; give the recording's file name`,
			});
			const {entries, warnings} = await readAll(missing);
			assert.deepEqual(entries, []);
			assert.equal(warnings.length, 1);
		},
	);

	test(
		'an unwritable path is refused at open with the cause and what to do',
		testOptions,
		async () => {
			assert.equal(
				await openError(directory),
				`cannot record to ${directory}: it is a directory; give a file name such as ${path.join(directory, 'vllm-top.ndjson')}`,
			);
			const inMissingDirectory = path.join(
				directory,
				'no-such-dir',
				'r.ndjson',
			);
			assert.equal(
				await openError(inMissingDirectory),
				`cannot record to ${inMissingDirectory}: directory ${path.dirname(inMissingDirectory)} does not exist; create it or pick another path`,
			);
			assert.ok(!existsSync(path.dirname(inMissingDirectory)));
		},
	);

	test(
		'an existing file that is not a recording of the same kind is not appended to',
		testOptions,
		async () => {
			const notes = path.join(directory, 'notes.txt');
			await writeFile(notes, 'my notes\n');
			assert.match(
				await openError(notes),
				/it exists and is not a vllm-top recording; pick a new file name$/v,
			);
			assert.equal(await readFile(notes, 'utf8'), 'my notes\n');

			const plain = path.join(directory, 'plain-named.gz');
			await writeFile(plain, `${encodeRecord(sampleResult(0), 'a')}\n`);
			assert.match(
				await openError(plain),
				/holds uncompressed NDJSON but the name ends in \.gz/v,
			);

			const packed = path.join(directory, 'packed.ndjson');
			await writeFile(packed, gzipSync('x\n'));
			assert.match(
				await openError(packed),
				/holds gzip data but the name does not end in \.gz/v,
			);
		},
	);

	test(
		'a full disk is reported once per cause through onError, and writing goes on',
		{
			...testOptions,
			skip: existsSync('/dev/full') ? false : 'no /dev/full here',
		},
		async () => {
			const errors: string[] = [];
			const opened = await openRecorder('/dev/full', {
				onError(message) {
					errors.push(message);
				},
			});
			assert.ok(opened.ok);
			for (let index = 0; index < 5; index++) {
				assert.doesNotThrow(() => {
					opened.recorder.write(encodeRecord(sampleResult(index), 'a'));
				});
			}

			await opened.recorder.close();
			assert.deepEqual(errors, [
				'cannot record to /dev/full: no space left on the disk; free some space (recording resumes by itself); scrapes are not recorded meanwhile, monitoring goes on',
			]);
		},
	);
});

describe('line splitter', () => {
	test('splits across chunk borders, keeps multi-byte characters whole, and caps line length', () => {
		const splitter = new LineSplitter(8);
		const bytes = Buffer.from('ab€\ncdefghijklmn\n\nxy', 'utf8');
		const lines = [];
		for (let index = 0; index < bytes.length; index += 2) {
			lines.push(...splitter.push(bytes.subarray(index, index + 2)));
		}

		lines.push(splitter.end());
		assert.deepEqual(lines, [
			{tooLong: false, text: 'ab€'},
			{tooLong: true},
			{tooLong: false, text: ''},
			{tooLong: false, text: 'xy'},
		]);
		assert.equal(splitter.end(), undefined);
	});
});
