import {close, fstatSync, ftruncateSync, open, read, writeSync} from 'node:fs';
import {promisify} from 'node:util';
import {gzipSync} from 'node:zlib';
import {systemErrorCode} from '../format/error-code.js';
import {describeFileError} from './file-error.js';

/**
Appends lines to a recording file, one synchronous write per line.

Each line (plus its newline) goes to disk in a single `write(2)` on a descriptor opened with O_APPEND, so the file
always ends with whole lines except when the process dies inside that one call, and nothing is buffered in memory:
a kill -9 costs at most the line in flight. A name ending in `.gz` gets one gzip member per line; concatenated gzip
members are one valid gzip stream (gunzip, zcat and the reader here read them whole), so the compressed file keeps
the same per-line crash safety, at the price of compressing each page on its own rather than against the previous ones.
*/
export type Recorder = {
	/** Appends `line` and a newline. Never throws; failures go to `onError`. */
	write(line: string): void;
	close(): Promise<void>;
};

export type RecorderOptions = {
	/** A one-line message naming the file, the cause and what to do; said once per distinct cause, not per line. */
	readonly onError?: (message: string) => void;
	/** A line was written again after an error, so a status line can drop the message. */
	readonly onRecover?: () => void;
};

export type OpenRecorderResult =
	| {readonly ok: true; readonly recorder: Recorder}
	| {readonly ok: false; readonly error: string};

const openFile = promisify(open);
const closeFile = promisify(close);
const readFile = promisify(read);

const gzipMagic = [0x1f, 0x8b] as const;

export function isCompressedName(file: string): boolean {
	return file.toLowerCase().endsWith('.gz');
}

export async function openRecorder(
	file: string,
	options: RecorderOptions = {},
): Promise<OpenRecorderResult> {
	const compressed = isCompressedName(file);
	let fd: number;
	try {
		// O_APPEND like 'a', plus read access to check what an existing file holds.
		fd = await openFile(file, 'a+');
	} catch (error) {
		return {ok: false, error: describeFileError(file, error, 'record to')};
	}

	const mismatch = await checkExistingContent(fd, file, compressed);
	if (mismatch !== undefined) {
		await closeFile(fd).catch(() => undefined);
		return {ok: false, error: mismatch};
	}

	let closed = false;
	let lastErrorCode: string | undefined;
	const report = (error: unknown) => {
		const code = systemErrorCode(error) ?? 'unknown';
		if (code === lastErrorCode) {
			return;
		}

		lastErrorCode = code;
		options.onError?.(
			`${describeFileError(file, error, 'record to')}; scrapes are not recorded meanwhile, monitoring goes on`,
		);
	};

	return {
		ok: true,
		recorder: {
			write(line) {
				if (closed) {
					return;
				}

				const text = `${line}\n`;
				const bytes = compressed ? gzipSync(text) : Buffer.from(text, 'utf8');
				try {
					writeAll(fd, bytes);
					if (lastErrorCode !== undefined) {
						lastErrorCode = undefined;
						options.onRecover?.();
					}
				} catch (error) {
					report(error);
				}
			},
			async close() {
				if (closed) {
					return;
				}

				closed = true;
				await closeFile(fd).catch(() => undefined);
			},
		},
	};
}

/**
Writes all of `bytes`. If the disk fills part-way, the part already written is cut off again, so a later line
is not glued to half a line (and a gzip stream keeps no broken member in its middle).
*/
function writeAll(fd: number, bytes: Uint8Array): void {
	let written = 0;
	try {
		while (written < bytes.length) {
			written += writeSync(fd, bytes, written);
		}
	} catch (error) {
		if (written > 0) {
			try {
				const {size} = fstatSync(fd);
				ftruncateSync(fd, Math.max(0, size - written));
			} catch {
				// Not a regular file (a pipe, /dev/full): nothing to cut.
			}
		}

		throw error;
	}
}

/** Refuses to append to a file that is not a recording of the same kind, which would spoil it or it would spoil us. */
async function checkExistingContent(
	fd: number,
	file: string,
	compressed: boolean,
): Promise<string | undefined> {
	try {
		if (!fstatSync(fd).isFile()) {
			return undefined;
		}

		const head = Buffer.alloc(2);
		const {bytesRead} = await readFile(fd, head, 0, 2, 0);
		if (bytesRead === 0) {
			return undefined;
		}

		const gzipped =
			bytesRead === 2 && head[0] === gzipMagic[0] && head[1] === gzipMagic[1];
		if (compressed && !gzipped) {
			return head[0] === 0x7b
				? `cannot record to ${file}: it holds uncompressed NDJSON but the name ends in .gz; pick a new file name`
				: `cannot record to ${file}: it exists and is not a vllm-top recording; pick a new file name`;
		}

		if (!compressed && gzipped) {
			return `cannot record to ${file}: it holds gzip data but the name does not end in .gz; pick a new file name or add .gz`;
		}

		if (!compressed && head[0] !== 0x7b) {
			return `cannot record to ${file}: it exists and is not a vllm-top recording; pick a new file name`;
		}

		return undefined;
	} catch (error) {
		return describeFileError(file, error, 'record to');
	}
}
