/**
`vllm-top samples <URL|FILE|->`: reads one page from wherever the user points and prints its samples as NDJSON.
*/
import {existsSync} from 'node:fs';
import {type FileHandle, open} from 'node:fs/promises';
import type {CliOptions} from '../config/cli-options.js';
import {utf8Failure, utf8Rule} from '../parse/decode-utf8.js';
import {formatFromContentType} from '../parse/format-from-content-type.js';
import {normalizeTargetUrl} from '../scrape/target-url.js';
import {errorCode} from '../format/error-code.js';
import {rejectedPageExitCode, samplesOf, samplesOfBytes} from './samples.js';
import {writeChunks} from './write-chunks.js';
import type {ModeIo} from './mode-io.js';

/** A page as read: the bytes of a file or standard input (checked to be UTF-8), or the text of a scrape. */
type PageText =
	| {readonly ok: true; readonly bytes: Buffer}
	| {readonly ok: true; readonly text: string; readonly contentType?: string}
	| {
			readonly ok: false;
			readonly error: string;
			/** The page's line that was rejected: the page is bad (exit 65), rather than unreadable (66). */
			readonly line?: number;
	  };

/**
Reads a whole stream, but never more than `maxBytes`, and stops when `signal` aborts: a file may be a device or a
pipe that never ends (`samples /dev/zero`).
*/
async function readBounded(
	stream: NodeJS.ReadableStream,
	what: string,
	maxBytes: number,
	signal: AbortSignal,
): Promise<PageText> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		if (signal.aborted) {
			return {ok: false, error: `stopped reading ${what}`};
		}

		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		size += buffer.length;
		if (size > maxBytes) {
			return {
				ok: false,
				error: `${what} is larger than ${maxBytes} bytes: raise --max-bytes`,
			};
		}

		chunks.push(buffer);
	}

	return checkedBytes(Buffer.concat(chunks, size));
}

/** Prometheus rejects a page that is not UTF-8: so does `samples`, naming the line. */
function checkedBytes(bytes: Buffer): PageText {
	const failure = utf8Failure(bytes);
	return failure === undefined
		? {ok: true, bytes}
		: {ok: false, error: `${failure.error} (${utf8Rule})`, line: failure.line};
}

/**
A file read into one buffer: a regular file in one read of its size, anything else (a device, a pipe) in growing
steps, never more than `maxBytes`.
*/
async function readFile(
	handle: FileHandle,
	what: string,
	maxBytes: number,
	signal: AbortSignal,
): Promise<PageText> {
	const {size} = await handle.stat();
	let buffer = Buffer.allocUnsafe(
		Math.min(Math.max(size, 1 << 16), maxBytes) + 1,
	);
	let filled = 0;
	for (;;) {
		if (signal.aborted) {
			return {ok: false, error: `stopped reading ${what}`};
		}

		if (filled === buffer.length) {
			if (filled > maxBytes) {
				return {
					ok: false,
					error: `${what} is larger than ${maxBytes} bytes: raise --max-bytes`,
				};
			}

			const grown = Buffer.allocUnsafe(Math.min(2 * filled, maxBytes + 1));
			buffer.copy(grown, 0, 0, filled);
			buffer = grown;
		}

		const {bytesRead} = await handle.read(
			buffer,
			filled,
			buffer.length - filled,
			null,
		);
		if (bytesRead === 0) {
			return checkedBytes(buffer.subarray(0, filled));
		}

		filled += bytesRead;
	}
}

function looksLikeHostPort(source: string): boolean {
	return /^[\w.\-[\]]*:\d+(?:\/\S*)?$/u.test(source);
}

async function readSource(
	source: string,
	options: CliOptions,
	io: ModeIo,
): Promise<PageText> {
	if (source === '-') {
		return readBounded(io.stdin, 'standard input', options.maxBytes, io.signal);
	}

	// A URL, or a bare host:port that is no file here (as the monitor itself takes it).
	if (
		/^https?:\/\//i.test(source) ||
		(looksLikeHostPort(source) && !existsSync(source))
	) {
		const target = normalizeTargetUrl(source);
		if (!target.ok) {
			return {ok: false, error: target.error};
		}

		// Loaded only here: the HTTP client is most of the start-up time of reading a file.
		const {createScrapeClient} = await import('../scrape/scrape-client.js');
		const client = createScrapeClient({
			timeoutMs: options.timeoutMs,
			maxBytes: options.maxBytes,
			apiKey: options.apiKey,
			headers: options.headers,
			insecure: options.insecure,
		});
		try {
			const result = await client.scrape(target.url);
			return result.ok
				? {ok: true, text: result.body, contentType: result.contentType}
				: {ok: false, error: result.message, line: result.line};
		} finally {
			await client.close();
		}
	}

	let handle: FileHandle | undefined;
	try {
		handle = await open(source, 'r');
		return await readFile(handle, source, options.maxBytes, io.signal);
	} catch (error) {
		if (io.signal.aborted) {
			return {ok: false, error: `stopped reading ${source}`};
		}

		const code = errorCode(error);
		return {
			ok: false,
			error: `cannot read ${source} (${code}): give a readable file, a http(s) URL, or - for standard input`,
		};
	} finally {
		await handle?.close();
	}
}

export async function runSamplesCommand(
	options: CliOptions,
	io: ModeIo,
): Promise<number> {
	const source = options.inputs[0];
	if (source === undefined || options.inputs.length > 1) {
		io.stderr.write(
			'vllm-top samples: give exactly one URL, FILE or - (standard input)\n',
		);
		return 2;
	}

	const page = await readSource(source, options, io);
	if (!page.ok) {
		await writeChunks(
			io.stdout,
			[`${JSON.stringify({error: page.error, line: page.line ?? 0})}\n`],
			io.signal,
		);
		io.stderr.write(`vllm-top samples: ${page.error}\n`);
		return page.line === undefined ? 66 : rejectedPageExitCode;
	}

	const format =
		options.format ??
		('contentType' in page && page.contentType !== undefined
			? formatFromContentType(page.contentType)
			: 'text');
	const samples =
		'text' in page
			? samplesOf(page.text, format)
			: samplesOfBytes(page.bytes, format);
	await writeChunks(
		io.stdout,
		samples.ok ? samples.chunks : [samples.output],
		io.signal,
	);
	return samples.ok ? 0 : rejectedPageExitCode;
}
