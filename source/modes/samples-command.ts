/**
`vllm-top samples <URL|FILE|->`: reads one page from wherever the user points and prints its samples as NDJSON.
*/
import {existsSync} from 'node:fs';
import {open} from 'node:fs/promises';
import type {CliOptions} from '../config/cli-options.js';
import {decodeUtf8, utf8Rule} from '../parse/decode-utf8.js';
import {formatFromContentType} from '../parse/format-from-content-type.js';
import {normalizeTargetUrl} from '../scrape/target-url.js';
import {errorCode} from '../format/error-code.js';
import {rejectedPageExitCode, samplesOf} from './samples.js';
import {writeChunks} from './write-chunks.js';
import type {ModeIo} from './mode-io.js';

type PageText =
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

	const decoded = decodeUtf8(Buffer.concat(chunks, size));
	return decoded.ok
		? {ok: true, text: decoded.text}
		: {
				ok: false,
				error: `${decoded.error} (${utf8Rule})`,
				line: decoded.line,
			};
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

	try {
		const handle = await open(source, 'r');
		const stream = handle.createReadStream({signal: io.signal});
		return await readBounded(stream, source, options.maxBytes, io.signal);
	} catch (error) {
		if (io.signal.aborted) {
			return {ok: false, error: `stopped reading ${source}`};
		}

		const code = errorCode(error);
		return {
			ok: false,
			error: `cannot read ${source} (${code}): give a readable file, a http(s) URL, or - for standard input`,
		};
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
		(page.contentType === undefined
			? 'text'
			: formatFromContentType(page.contentType));
	const samples = samplesOf(page.text, format);
	await writeChunks(
		io.stdout,
		samples.ok ? samples.chunks : [samples.output],
		io.signal,
	);
	return samples.ok ? 0 : rejectedPageExitCode;
}
