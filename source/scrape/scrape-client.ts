/**
The requests the monitor makes of a vLLM server, each decoded its own way over one bounded transport: `/metrics`
pages, small JSON documents (`/version`), and status probes (`/health`). The profiler's POSTs use the same transport
through `exchange` (see profiler/profiler-post.ts).
*/
import {performance} from 'node:perf_hooks';
import type {Dispatcher} from 'undici';
import {decodeUtf8, utf8Rule} from '../parse/decode-utf8.js';
import {describeStatus, isHtml, isJson} from './describe-failure.js';
import {
	createHttpTransport,
	type Failed,
	type ReadAnswer,
	type TransportRequest,
} from './http-transport.js';
import {drain, headerValue, readBody} from './read-body.js';
import {statusFailure} from './status-failure.js';
import type {ScrapeResult} from './scrape-result.js';

export type ScrapeClientOptions = {
	/** Whole-request deadline for scrapes, JSON reads and probes, connecting included. Default 3000. */
	readonly timeoutMs?: number;
	/** Cap on the body, both as received and after decompression. Default 16 MiB. */
	readonly maxBytes?: number;
	/** Sent as `Authorization: Bearer <apiKey>`. */
	readonly apiKey?: string;
	/** Extra request headers (from `--header`); they override the defaults and the API key. */
	readonly headers?: Readonly<Record<string, string>>;
	/** Skip TLS certificate verification. */
	readonly insecure?: boolean;
};

export type JsonResult =
	| {readonly ok: true; readonly status: number; readonly json: unknown}
	| (Failed & {
			/** The start of an error answer's body (at most 1 KiB), so the server's own words can be shown. */
			readonly body?: string;
	  });

export type ProbeResult = {readonly ok: true; readonly status: number} | Failed;

/** A request the client sends for a caller that decodes the answer itself. */
export type ExchangeRequest = Omit<TransportRequest, 'timeoutMs'> & {
	/** Deadline of the whole exchange; null waits for as long as the server takes. Default: the client's. */
	readonly timeoutMs?: number | null;
};

export type ScrapeClient = {
	/** The client's body cap, for callers of `exchange`. */
	readonly maxBytes: number;
	/**
	GETs a /metrics page. A second call for a URL whose scrape is still running gets the running one's promise
	(its own signal is then ignored), so a slow target never has two scrapes in flight.
	*/
	scrape(url: string, signal?: AbortSignal): Promise<ScrapeResult>;
	/** GETs a small JSON document such as /version. Any non-2xx status is a failure. */
	getJson(
		url: string,
		options?: {readonly timeoutMs?: number; readonly maxBytes?: number},
	): Promise<JsonResult>;
	/** GETs a URL such as /health for its status code only; any HTTP answer is `ok`, even 503. */
	probe(url: string): Promise<ProbeResult>;
	/** Any other request, with the client's headers, deadline and transport; `read` decodes the answer. */
	exchange<T>(
		url: string,
		request: ExchangeRequest,
		read: ReadAnswer<T>,
	): Promise<T | Failed>;
	/** Cancels whatever is in flight and closes the kept-alive connections, without waiting for any socket. */
	close(): Promise<void>;
};

export const defaultTimeoutMs = 3000;
export const defaultMaxBytes = 16 * 1024 * 1024;

const metricsAccept = 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1';

export function createScrapeClient(
	options: ScrapeClientOptions = {},
): ScrapeClient {
	const timeoutMs = positiveOr(options.timeoutMs, defaultTimeoutMs);
	const maxBytes = positiveOr(options.maxBytes, defaultMaxBytes);
	const transport = createHttpTransport({...options, timeoutMs});
	const scrapesInFlight = new Map<string, Promise<ScrapeResult>>();

	async function runScrape(
		url: string,
		signal: AbortSignal | undefined,
	): Promise<ScrapeResult> {
		const at = Date.now();
		const started = performance.now();
		const result = await transport.exchange(
			url,
			{method: 'GET', accept: metricsAccept, timeoutMs, signal},
			async response => readMetrics(url, response, maxBytes),
		);
		const durationMs = performance.now() - started;
		return result.ok
			? {url, at, durationMs, ...result}
			: {url, at, durationMs, ...result};
	}

	return {
		maxBytes,
		async scrape(url, signal) {
			const inFlight = scrapesInFlight.get(url);
			if (inFlight !== undefined) {
				return inFlight;
			}

			const result = runScrape(url, signal).finally(() => {
				scrapesInFlight.delete(url);
			});
			scrapesInFlight.set(url, result);
			return result;
		},

		async getJson(url, jsonOptions = {}) {
			const limit = positiveOr(jsonOptions.maxBytes, maxBytes);
			return transport.exchange<JsonResult>(
				url,
				{
					method: 'GET',
					accept: 'application/json',
					timeoutMs: positiveOr(jsonOptions.timeoutMs, timeoutMs),
				},
				async response => readJson(url, response, limit),
			);
		},

		async probe(url) {
			return transport.exchange<ProbeResult>(
				url,
				{method: 'GET', accept: '*/*', timeoutMs},
				async response => {
					await drain(response.body);
					return {ok: true, status: response.statusCode};
				},
			);
		},

		async exchange(url, request, read) {
			return transport.exchange(
				url,
				{
					...request,
					timeoutMs:
						request.timeoutMs === null
							? undefined
							: positiveOr(request.timeoutMs, timeoutMs),
				},
				read,
			);
		},

		async close() {
			await transport.close();
		},
	};
}

type PageRead =
	| {
			readonly ok: true;
			readonly status: number;
			readonly contentType: string;
			readonly body: string;
	  }
	| Failed;

/** A /metrics answer: a 2xx Prometheus page, or a failure that says what came instead. */
async function readMetrics(
	url: string,
	response: Dispatcher.ResponseData,
	maxBytes: number,
): Promise<PageRead> {
	const {statusCode: status, headers, body} = response;
	const contentType = headerValue(headers, 'content-type');
	if (status < 200 || status >= 300) {
		await drain(body);
		return {ok: false, ...describeStatus(url, status, contentType)};
	}

	if (isHtml(contentType) || isJson(contentType)) {
		await drain(body);
		const what = isHtml(contentType) ? 'an HTML page' : 'JSON';
		return {
			ok: false,
			kind: 'not-prometheus',
			status,
			message: `${url}: got ${what} (${contentType}), not Prometheus metrics; is this the /metrics URL?`,
		};
	}

	const read = await readBody(body, headers, url, maxBytes);
	if (!read.ok) {
		return {...read, status};
	}

	const decoded = decodeUtf8(read.bytes);
	if (!decoded.ok) {
		return {
			ok: false,
			kind: 'not-prometheus',
			status,
			line: decoded.line,
			message: `${url}: not a Prometheus page (${decoded.error}; ${utf8Rule})`,
		};
	}

	return {ok: true, status, contentType, body: decoded.text};
}

async function readJson(
	url: string,
	response: Dispatcher.ResponseData,
	maxBytes: number,
): Promise<JsonResult> {
	const {statusCode: status, headers, body} = response;
	if (status < 200 || status >= 300) {
		return statusFailure(url, response);
	}

	const read = await readBody(body, headers, url, maxBytes);
	if (!read.ok) {
		return {...read, status};
	}

	const decoded = decodeUtf8(read.bytes);
	if (!decoded.ok) {
		return {
			ok: false,
			kind: 'not-prometheus',
			status,
			message: `${url}: not valid JSON (${decoded.error})`,
		};
	}

	try {
		return {ok: true, status, json: JSON.parse(decoded.text) as unknown};
	} catch (error: unknown) {
		const reason = error instanceof Error ? error.message : String(error);
		return {
			ok: false,
			kind: 'not-prometheus',
			status,
			message: `${url}: not valid JSON (${reason})`,
		};
	}
}

function positiveOr(value: number | undefined, fallback: number): number {
	return value !== undefined && Number.isFinite(value) && value > 0
		? value
		: fallback;
}
