import {promisify} from 'node:util';
import {
	brotliDecompress,
	gunzip,
	inflate,
	type ZlibOptions,
	type BrotliOptions,
} from 'node:zlib';
import type {Dispatcher} from 'undici';
import {
	describeTooLarge,
	errorCode,
	type FailureCause,
} from './describe-failure.js';

export type BodyRead =
	| {readonly ok: true; readonly bytes: Buffer}
	| ({readonly ok: false} & FailureCause);

type Decoder = (
	input: Buffer,
	options: ZlibOptions & BrotliOptions,
) => Promise<Buffer>;

const decoders: Readonly<Record<string, Decoder>> = {
	gzip: promisify(gunzip),
	'x-gzip': promisify(gunzip),
	deflate: promisify(inflate),
	br: promisify(brotliDecompress),
};

/**
Reads a response body, never holding more than `maxBytes` on the wire nor after decoding.

The wire count aborts the stream as soon as it passes the cap, and decompression stops at `maxOutputLength`, so
neither a huge page nor a gzip bomb can take more than the cap in memory. Stream errors (reset, abort) are rethrown
for the caller to describe.
*/
export async function readBody(
	body: Dispatcher.ResponseData['body'],
	headers: Dispatcher.ResponseData['headers'],
	url: string,
	maxBytes: number,
): Promise<BodyRead> {
	const declared = Number(headerValue(headers, 'content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		body.destroy();
		return {ok: false, ...describeTooLarge(url, maxBytes, false)};
	}

	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxBytes) {
			body.destroy();
			return {ok: false, ...describeTooLarge(url, maxBytes, false)};
		}

		chunks.push(chunk);
	}

	const raw = Buffer.concat(chunks, size);
	const encoding = headerValue(headers, 'content-encoding')
		.trim()
		.toLowerCase();
	if (encoding === '' || encoding === 'identity') {
		return {ok: true, bytes: raw};
	}

	const decode = decoders[encoding];
	if (decode === undefined) {
		return {
			ok: false,
			kind: 'network',
			message: `${url}: unsupported Content-Encoding '${encoding}' (only gzip, deflate and br are decoded)`,
		};
	}

	try {
		return {ok: true, bytes: await decode(raw, {maxOutputLength: maxBytes})};
	} catch (error: unknown) {
		if (
			error instanceof RangeError ||
			errorCode(error) === 'ERR_BUFFER_TOO_LARGE'
		) {
			return {ok: false, ...describeTooLarge(url, maxBytes, true)};
		}

		const reason = error instanceof Error ? error.message : String(error);
		return {
			ok: false,
			kind: 'network',
			message: `${url}: corrupt ${encoding} body (${reason})`,
		};
	}
}

/** How much of an unwanted body to drain so its connection can be reused. */
const drainLimit = 64 * 1024;

/** Reads and drops an unwanted body; a failure only costs the connection. */
export async function drain(
	body: Dispatcher.ResponseData['body'],
): Promise<void> {
	try {
		await body.dump({limit: drainLimit});
	} catch {
		// The body is unwanted.
	}
}

export function headerValue(
	headers: Dispatcher.ResponseData['headers'],
	name: string,
): string {
	const value = headers[name];
	if (Array.isArray(value)) {
		return value.join(', ');
	}

	return value ?? '';
}
