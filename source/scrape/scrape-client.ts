import {performance} from 'node:perf_hooks';
import {Agent, request, type Dispatcher} from 'undici';
import {startDeadline, type Deadline} from './deadline.js';
import {
	describeError,
	describeStatus,
	errorCode,
	isHtml,
	isJson,
	type FailureCause,
} from './describe-failure.js';
import {headerValue, readBody} from './read-body.js';
import type {ScrapeFailureKind, ScrapeResult} from './scrape-result.js';

export type ScrapeClientOptions = {
	/** Whole-request deadline for scrapes, JSON reads and probes. Default 3000. */
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
	| {
			readonly ok: false;
			readonly kind: ScrapeFailureKind;
			readonly status?: number;
			readonly message: string;
			/** The start of an error answer's body (at most 1 KiB), so the server's own words can be shown. */
			readonly body?: string;
	  };

export type ProbeResult =
	| {readonly ok: true; readonly status: number}
	| {
			readonly ok: false;
			readonly kind: ScrapeFailureKind;
			readonly status?: number;
			readonly message: string;
	  };

export type PostResult =
	| {readonly ok: true; readonly status: number; readonly body: string}
	| {
			readonly ok: false;
			readonly kind: ScrapeFailureKind;
			readonly status?: number;
			readonly message: string;
	  };

export type ScrapeClient = {
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
	/** POSTs with an empty body, e.g. /start_profile. `timeoutMs: null` waits for as long as the server takes. */
	post(
		url: string,
		options: {readonly timeoutMs: number | null; readonly signal?: AbortSignal},
	): Promise<PostResult>;
	/** Cancels whatever is in flight and closes the kept-alive connections. */
	close(): Promise<void>;
};

export const defaultTimeoutMs = 3000;
export const defaultMaxBytes = 16 * 1024 * 1024;

/** Redirects are followed for GETs only; a redirected POST is reported, since re-POSTing elsewhere is a surprise. */
const maxRedirects = 3;
/** Below uvicorn's 5 s keep-alive (vLLM's default), so an idle socket is dropped here before the server drops it. */
const keepAliveMs = 4000;
/** How much of an unwanted body to drain so its connection can be reused. */
const drainLimit = 64 * 1024;
/** Enough of an error body for a one-line message; a longer one is cut off (too-large) and left out. */
const errorBodyLimit = 1024;
const metricsAccept = 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1';

type Exchange =
	| {readonly ok: true; readonly response: Dispatcher.ResponseData}
	| ({readonly ok: false} & FailureCause);

type SendOptions = {
	readonly method: 'GET' | 'POST';
	readonly accept: string;
	readonly deadline: Deadline;
	readonly timeoutMs: number | undefined;
};

export function createScrapeClient(
	options: ScrapeClientOptions = {},
): ScrapeClient {
	const timeoutMs = positiveOr(options.timeoutMs, defaultTimeoutMs);
	const maxBytes = positiveOr(options.maxBytes, defaultMaxBytes);
	// One connection per origin keeps a poller on one kept-alive socket. POSTs get their own agent, because a
	// /stop_profile can hold its connection for minutes while the trace is flushed, and scrapes must not queue behind it.
	const agentOptions = {
		keepAliveTimeout: keepAliveMs,
		keepAliveMaxTimeout: keepAliveMs,
		connections: 1,
		connect: {rejectUnauthorized: options.insecure !== true},
	};
	const agent = new Agent(agentOptions);
	const postAgent = new Agent(agentOptions);
	const baseHeaders = buildHeaders(options);
	const running = new Set<Deadline>();
	const scrapesInFlight = new Map<string, Promise<ScrapeResult>>();
	let closing: Promise<void> | undefined;

	async function withDeadline<T>(
		url: string,
		requestTimeoutMs: number | undefined,
		signal: AbortSignal | undefined,
		work: (deadline: Deadline) => Promise<T>,
		closedResult: (cause: FailureCause) => T,
	): Promise<T> {
		if (closing !== undefined) {
			return closedResult({
				kind: 'network',
				message: `${url}: the client is closed`,
			});
		}

		const deadline = startDeadline(requestTimeoutMs, signal);
		running.add(deadline);
		try {
			return await work(deadline);
		} finally {
			deadline.dispose();
			running.delete(deadline);
		}
	}

	async function send(
		url: string,
		sendOptions: SendOptions,
	): Promise<Exchange> {
		const {method, deadline} = sendOptions;
		let current = url;
		let redirects = 0;
		let retriedStaleSocket = false;
		for (;;) {
			let response: Dispatcher.ResponseData;
			try {
				response = await request(current, {
					dispatcher: method === 'POST' ? postAgent : agent,
					method,
					headers: headersFor(current, url, sendOptions.accept),
					signal: deadline.signal,
					// Backstops only: undici's own timers are coarse; the deadline is the real limit.
					headersTimeout:
						sendOptions.timeoutMs === undefined
							? 0
							: sendOptions.timeoutMs + 1000,
					bodyTimeout:
						sendOptions.timeoutMs === undefined
							? 0
							: sendOptions.timeoutMs + 1000,
				});
			} catch (error: unknown) {
				// A kept-alive socket the server closed at the same moment: one fresh try is safe for a GET.
				if (
					method === 'GET' &&
					!retriedStaleSocket &&
					isStaleSocket(error) &&
					!deadline.signal.aborted
				) {
					retriedStaleSocket = true;
					continue;
				}

				return {
					ok: false,
					...describeError(
						error,
						errorContext(url, deadline, sendOptions.timeoutMs, 'headers'),
					),
				};
			}

			const location = headerValue(response.headers, 'location');
			if (
				method !== 'GET' ||
				!isRedirect(response.statusCode) ||
				location === ''
			) {
				return {ok: true, response};
			}

			await drain(response.body);
			let next: URL;
			try {
				next = new URL(location, current);
			} catch {
				return {
					ok: false,
					kind: 'http-status',
					status: response.statusCode,
					message: `${url}: HTTP ${response.statusCode} redirect to an invalid Location '${location}'`,
				};
			}

			if (next.protocol !== 'http:' && next.protocol !== 'https:') {
				return {
					ok: false,
					kind: 'http-status',
					status: response.statusCode,
					message: `${url}: HTTP ${response.statusCode} redirect to unsupported ${next.href}`,
				};
			}

			if (redirects === maxRedirects) {
				return {
					ok: false,
					kind: 'http-status',
					status: response.statusCode,
					message: `${url}: more than ${maxRedirects} redirects (the last to ${next.href}); use the final URL directly`,
				};
			}

			redirects++;
			current = next.href;
		}
	}

	function headersFor(
		target: string,
		original: string,
		accept: string,
	): Record<string, string> {
		const headers: Record<string, string> = {
			accept,
			'accept-encoding': 'gzip',
			...baseHeaders,
		};
		// Like browsers: credentials go only to the origin the user named, not to wherever it redirects.
		if (new URL(target).origin !== new URL(original).origin) {
			delete headers['authorization'];
		}

		return headers;
	}

	async function runScrape(
		url: string,
		signal: AbortSignal | undefined,
	): Promise<ScrapeResult> {
		const at = Date.now();
		const started = performance.now();
		const stamp = (cause: FailureCause): ScrapeResult => ({
			ok: false,
			url,
			at,
			durationMs: performance.now() - started,
			...cause,
		});
		return withDeadline(
			url,
			timeoutMs,
			signal,
			async deadline => {
				const exchange = await send(url, {
					method: 'GET',
					accept: metricsAccept,
					deadline,
					timeoutMs,
				});
				if (!exchange.ok) {
					return stamp(exchange);
				}

				const {statusCode: status, headers, body} = exchange.response;
				const contentType = headerValue(headers, 'content-type');
				if (status < 200 || status >= 300) {
					await drain(body);
					return stamp(describeStatus(url, status, contentType));
				}

				if (isHtml(contentType) || isJson(contentType)) {
					await drain(body);
					const what = isHtml(contentType) ? 'an HTML page' : 'JSON';
					return stamp({
						kind: 'not-prometheus',
						status,
						message: `${url}: got ${what} (${contentType}), not Prometheus metrics; is this the /metrics URL?`,
					});
				}

				try {
					const read = await readBody(body, headers, url, maxBytes);
					if (!read.ok) {
						return stamp({kind: read.kind, status, message: read.message});
					}

					return {
						ok: true,
						url,
						at,
						durationMs: performance.now() - started,
						status,
						contentType,
						body: read.bytes.toString('utf8'),
					};
				} catch (error: unknown) {
					return stamp({
						...describeError(
							error,
							errorContext(url, deadline, timeoutMs, 'body'),
						),
						status,
					});
				}
			},
			stamp,
		);
	}

	return {
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
			const requestTimeoutMs = positiveOr(jsonOptions.timeoutMs, timeoutMs);
			const limit = positiveOr(jsonOptions.maxBytes, maxBytes);
			return withDeadline<JsonResult>(
				url,
				requestTimeoutMs,
				undefined,
				async deadline => {
					const exchange = await send(url, {
						method: 'GET',
						accept: 'application/json',
						deadline,
						timeoutMs: requestTimeoutMs,
					});
					if (!exchange.ok) {
						return exchange;
					}

					const {statusCode: status, headers, body} = exchange.response;
					if (status < 200 || status >= 300) {
						return statusFailure(url, exchange.response);
					}

					let text: string;
					try {
						const read = await readBody(body, headers, url, limit);
						if (!read.ok) {
							return {...read, status};
						}

						text = read.bytes.toString('utf8');
					} catch (error: unknown) {
						return {
							ok: false,
							status,
							...describeError(
								error,
								errorContext(url, deadline, requestTimeoutMs, 'body'),
							),
						};
					}

					try {
						return {ok: true, status, json: JSON.parse(text) as unknown};
					} catch (error: unknown) {
						const reason =
							error instanceof Error ? error.message : String(error);
						return {
							ok: false,
							kind: 'not-prometheus',
							status,
							message: `${url}: not valid JSON (${reason})`,
						};
					}
				},
				cause => ({ok: false, ...cause}),
			);
		},

		async probe(url) {
			return withDeadline<ProbeResult>(
				url,
				timeoutMs,
				undefined,
				async deadline => {
					const exchange = await send(url, {
						method: 'GET',
						accept: '*/*',
						deadline,
						timeoutMs,
					});
					if (!exchange.ok) {
						return exchange;
					}

					await drain(exchange.response.body);
					return {ok: true, status: exchange.response.statusCode};
				},
				cause => ({ok: false, ...cause}),
			);
		},

		async post(url, postOptions) {
			const requestTimeoutMs =
				postOptions.timeoutMs === null
					? undefined
					: positiveOr(postOptions.timeoutMs, timeoutMs);
			return withDeadline<PostResult>(
				url,
				requestTimeoutMs,
				postOptions.signal,
				async deadline => {
					const exchange = await send(url, {
						method: 'POST',
						accept: '*/*',
						deadline,
						timeoutMs: requestTimeoutMs,
					});
					if (!exchange.ok) {
						return exchange;
					}

					const {statusCode: status, headers, body} = exchange.response;
					if (status < 200 || status >= 300) {
						return statusFailure(url, exchange.response);
					}

					try {
						const read = await readBody(body, headers, url, maxBytes);
						return read.ok
							? {ok: true, status, body: read.bytes.toString('utf8')}
							: {...read, status};
					} catch (error: unknown) {
						return {
							ok: false,
							status,
							...describeError(
								error,
								errorContext(url, deadline, requestTimeoutMs, 'body'),
							),
						};
					}
				},
				cause => ({ok: false, ...cause}),
			);
		},

		async close() {
			closing ??= (async () => {
				for (const deadline of running) {
					deadline.abort();
				}

				await Promise.all([agent.destroy(), postAgent.destroy()]);
			})();
			return closing;
		},
	};
}

/** A non-2xx answer as a failure that keeps the start of its body, so the server's own words can be shown. */
async function statusFailure(url: string, response: Dispatcher.ResponseData) {
	const {statusCode, headers, body} = response;
	const read = await readBody(body, headers, url, errorBodyLimit).catch(
		() => undefined,
	);
	return {
		ok: false as const,
		...(read?.ok ? {body: read.bytes.toString('utf8')} : {}),
		...describeStatus(url, statusCode, headerValue(headers, 'content-type')),
	};
}

function buildHeaders(options: ScrapeClientOptions): Record<string, string> {
	const headers: Record<string, string> = {'user-agent': 'vllm-top'};
	if (options.apiKey !== undefined && options.apiKey !== '') {
		headers['authorization'] = `Bearer ${options.apiKey}`;
	}

	for (const [name, value] of Object.entries(options.headers ?? {})) {
		headers[name.toLowerCase()] = value;
	}

	return headers;
}

function errorContext(
	url: string,
	deadline: Deadline,
	timeoutMs: number | undefined,
	phase: 'headers' | 'body',
) {
	return {
		url,
		timedOut: deadline.timedOut(),
		cancelled: deadline.cancelled(),
		timeoutMs,
		phase,
	} as const;
}

async function drain(body: Dispatcher.ResponseData['body']): Promise<void> {
	try {
		await body.dump({limit: drainLimit});
	} catch {
		// The body is unwanted; a failure to drain only costs the connection.
	}
}

function isRedirect(status: number): boolean {
	return (
		status === 301 ||
		status === 302 ||
		status === 303 ||
		status === 307 ||
		status === 308
	);
}

function isStaleSocket(error: unknown): boolean {
	const code = errorCode(error);
	return code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET';
}

function positiveOr(value: number | undefined, fallback: number): number {
	return value !== undefined && Number.isFinite(value) && value > 0
		? value
		: fallback;
}
