import {type Dispatcher, errors, request} from 'undici';
import type {BenchPrompt} from './bench-request.js';
import type {RequestOutcome} from './request-outcome.js';
import {StreamReader} from './stream-reader.js';

export type SendSetup = {
	readonly url: string;
	readonly headers: Readonly<Record<string, string>>;
	readonly dispatcher: Dispatcher;
	/** Deadline of the whole request, from sending to the last byte. */
	readonly timeoutMs: number;
	/** Aborts the request (at the end of a drain). */
	readonly signal: AbortSignal;
	/** When the run started (performance.now() ms), for `startTime`. */
	readonly runStartMs: number;
};

/** Reads at most this much of an error answer, for its message. */
const maxErrorBytes = 4096;

/**
Sends one streamed request and times it. Never throws: a status other than 200, a dropped connection, a deadline or
an error inside the stream each make a failed outcome that says which.
*/
export async function sendRequest(
	setup: SendSetup,
	item: BenchPrompt,
	body: string,
): Promise<RequestOutcome> {
	const startMs = performance.now();
	const reader = new StreamReader();
	const deadline = AbortSignal.timeout(setup.timeoutMs);
	const signal = AbortSignal.any([deadline, setup.signal]);
	const fail = (error: string): RequestOutcome =>
		outcome(setup, item, reader, startMs, error);
	try {
		const response = await request(setup.url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				accept: 'text/event-stream',
				...setup.headers,
			},
			body,
			dispatcher: setup.dispatcher,
			signal,
			headersTimeout: setup.timeoutMs,
			bodyTimeout: setup.timeoutMs,
		});
		if (response.statusCode !== 200) {
			const detail = await errorDetail(response.body);
			return fail(`HTTP ${response.statusCode}${detail ? `: ${detail}` : ''}`);
		}

		response.body.setEncoding('utf8');
		for await (const text of response.body) {
			reader.feed(String(text), performance.now());
		}

		if (reader.error !== undefined) {
			return fail(reader.error);
		}

		if (!reader.done) {
			return fail(
				`the stream ended before [DONE], after ${reader.chunks} chunks`,
			);
		}

		return fail(reader.chunks === 0 ? 'the answer had no tokens' : '');
	} catch (error) {
		return fail(describe(error, deadline, setup, reader));
	}
}

function describe(
	error: unknown,
	deadline: AbortSignal,
	setup: SendSetup,
	reader: StreamReader,
): string {
	if (deadline.aborted) {
		return `no complete answer within ${setup.timeoutMs / 1000} s (deadline), after ${reader.chunks} chunks`;
	}

	if (setup.signal.aborted) {
		return 'cancelled: still running when the drain time ran out';
	}

	if (error instanceof errors.HeadersTimeoutError) {
		return `no answer within ${setup.timeoutMs / 1000} s`;
	}

	if (error instanceof errors.BodyTimeoutError) {
		return `the stream stalled for ${setup.timeoutMs / 1000} s after ${reader.chunks} chunks`;
	}

	const code =
		error instanceof Error && 'code' in error ? String(error.code) : '';
	if (code === 'ECONNREFUSED') {
		return 'connection refused';
	}

	if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') {
		return `disconnected mid-stream after ${reader.chunks} chunks`;
	}

	const message = error instanceof Error ? error.message : String(error);
	return `${code ? `${code}: ` : ''}${message.split('\n')[0]}`;
}

async function errorDetail(
	body: Dispatcher.ResponseData['body'],
): Promise<string> {
	let text = '';
	try {
		body.setEncoding('utf8');
		for await (const piece of body) {
			text += String(piece);
			if (text.length > maxErrorBytes) {
				body.destroy();
				break;
			}
		}
	} catch {
		// The status says enough.
	}

	try {
		const parsed: unknown = JSON.parse(text);
		const message: unknown =
			typeof parsed === 'object' && parsed !== null
				? (Reflect.get(parsed, 'message') ?? Reflect.get(parsed, 'detail'))
				: undefined;
		if (typeof message === 'string' || typeof message === 'number') {
			return String(message).slice(0, 200);
		}
	} catch {
		// Not JSON: the first line of the text says it.
	}

	return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

function outcome(
	setup: SendSetup,
	item: BenchPrompt,
	reader: StreamReader,
	startMs: number,
	error: string,
): RequestOutcome {
	const first = reader.firstChunkMs;
	const last = reader.lastChunkMs ?? performance.now();
	const usagePrompt = reader.promptTokens;
	return {
		ok: error === '',
		error,
		startTime: (startMs - setup.runStartMs) / 1000,
		ttft: first === undefined ? 0 : (first - startMs) / 1000,
		itl: reader.itlMs.map(ms => ms / 1000),
		latency: (last - startMs) / 1000,
		promptTokens: usagePrompt ?? item.promptTokens ?? 0,
		outputTokens: reader.completionTokens ?? reader.chunks,
		promptTokensFrom: usagePrompt === undefined ? 'workload' : 'usage',
	};
}
