import {createReadStream} from 'node:fs';
import {open} from 'node:fs/promises';
import type {Readable} from 'node:stream';
import {createGunzip} from 'node:zlib';
import {systemErrorCode} from '../format/error-code.js';
import {describeFileError} from './file-error.js';
import {LineSplitter, type SplitLine} from './line-splitter.js';
import {decodeRecord} from './decode-record.js';
import type {RecordedEntry} from './record-line.js';

/**
Streams a recording back, entry by entry, holding one line at a time.

Whether the file is gzip is read from its first two bytes rather than its name, so a renamed file still works.
Gunzip reads concatenated members (one per line, as the recorder writes them) as one stream. Nothing here throws:
a bad line is skipped with a warning naming its number, and a compressed tail cut off by a crash ends the stream
with a warning.
*/

export type OpenRecordingResult =
	| {readonly ok: true; readonly entries: AsyncIterable<RecordedEntry>}
	| {readonly ok: false; readonly error: string};

/** Far above any recorded page (scrapes stop at 16 MiB), so only a file that is not a recording hits it. */
export const maxLineBytes = 64 * 1024 * 1024;

/** After this many line warnings the rest are counted and reported once at the end, so a wrong file is not a flood. */
export const maxLineWarnings = 20;

/** Checks the file can be read before anything is shown, so `--replay missing.ndjson` fails at once with a reason. */
export async function openRecording(
	file: string,
	onWarning: (message: string) => void,
	signal?: AbortSignal,
): Promise<OpenRecordingResult> {
	const gzipped = await sniffGzip(file);
	if (!gzipped.ok) {
		return gzipped;
	}

	return {
		ok: true,
		entries: readEntries(file, gzipped.value, onWarning, signal),
	};
}

/** Like `openRecording`, for callers that only want entries: a file that cannot be read is one warning and no entries. */
export async function* readRecording(
	file: string,
	onWarning: (message: string) => void,
): AsyncGenerator<RecordedEntry, void, undefined> {
	const opened = await openRecording(file, onWarning);
	if (!opened.ok) {
		onWarning(opened.error);
		return;
	}

	yield* opened.entries;
}

async function sniffGzip(
	file: string,
): Promise<
	{readonly ok: true; readonly value: boolean} | {ok: false; error: string}
> {
	let handle: Awaited<ReturnType<typeof open>> | undefined;
	try {
		handle = await open(file, 'r');
		const stats = await handle.stat();
		if (stats.isDirectory()) {
			return {
				ok: false,
				error: describeFileError(
					file,
					Object.assign(new Error('is a directory'), {code: 'EISDIR'}),
					'read',
				),
			};
		}

		const head = Buffer.alloc(2);
		const {bytesRead} = await handle.read(head, 0, 2, 0);
		return {
			ok: true,
			value: bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b,
		};
	} catch (error) {
		return {ok: false, error: describeFileError(file, error, 'read')};
	} finally {
		await handle?.close().catch(() => undefined);
	}
}

/**
Reading ends quietly when `signal` aborts: an endless input (a device, a pipe) is read chunk by chunk without
yielding an entry, so only the signal can end it.
*/
async function* readEntries(
	file: string,
	gzipped: boolean,
	onWarning: (message: string) => void,
	signal: AbortSignal | undefined,
): AsyncGenerator<RecordedEntry, void, undefined> {
	const fileStream = createReadStream(file, signal ? {signal} : {});
	let stream: Readable = fileStream;
	if (gzipped) {
		const gunzip = createGunzip();
		fileStream.on('error', error => {
			gunzip.destroy(error);
		});
		stream = fileStream.pipe(gunzip);
	}

	const splitter = new LineSplitter(maxLineBytes);
	let lineNumber = 0;
	let badLines = 0;
	const skip = (reason: string) => {
		badLines++;
		if (badLines <= maxLineWarnings) {
			onWarning(`${file} line ${lineNumber}: ${reason}; skipped`);
		}
	};

	const decode = (line: SplitLine): RecordedEntry | undefined => {
		lineNumber++;
		if (line.tooLong) {
			skip(
				`longer than ${maxLineBytes / 1024 / 1024} MiB (not a vllm-top recording?)`,
			);
			return undefined;
		}

		if ('notUtf8' in line) {
			skip('not valid UTF-8 (damaged?)');
			return undefined;
		}

		if (line.text.trim() === '') {
			return undefined;
		}

		const decoded = decodeRecord(line.text);
		if (!decoded.ok) {
			skip(decoded.error);
			return undefined;
		}

		const {ok, ...entry} = decoded;
		return entry;
	};

	try {
		try {
			for await (const chunk of stream) {
				if (signal?.aborted) {
					return;
				}

				if (!(chunk instanceof Uint8Array)) {
					continue;
				}

				for (const line of splitter.push(chunk)) {
					const entry = decode(line);
					if (entry !== undefined) {
						yield entry;
					}
				}
			}
		} catch (error) {
			if (!signal?.aborted) {
				onWarning(describeReadError(file, error, gzipped, lineNumber));
			}

			return;
		}

		const tail = splitter.end();
		if (tail !== undefined) {
			const entry = decode(tail);
			if (entry !== undefined) {
				yield entry;
			}
		}
	} finally {
		stream.destroy();
		fileStream.destroy();
		if (badLines > maxLineWarnings) {
			onWarning(
				`${file}: ${badLines - maxLineWarnings} more bad lines skipped without a warning each (${badLines} in all)`,
			);
		}
	}
}

function describeReadError(
	file: string,
	error: unknown,
	gzipped: boolean,
	lineNumber: number,
): string {
	const code = systemErrorCode(error);
	if (gzipped && code === 'Z_BUF_ERROR') {
		return `${file}: truncated compressed data after line ${lineNumber} (cut off by a crash?); the rest is skipped`;
	}

	if (gzipped && code?.startsWith('Z_') === true) {
		return `${file}: corrupt compressed data after line ${lineNumber}; the rest is skipped`;
	}

	return `${describeFileError(file, error, 'read')} (after line ${lineNumber}); the rest is skipped`;
}
