/**
The HTTP transport every request of vllm-top goes through (scrapes, /health, /version, the profiler, Prometheus):
kept-alive connections, one deadline over the whole exchange (DNS, connect, TLS, headers and body), redirects for
GETs, and the user's headers sent only to the origin the user named.

The deadline is raced here rather than left to undici, so the answer comes at the deadline whatever the socket is
doing, and closing the transport never waits for a socket.
*/
import {Agent, request, type Dispatcher} from 'undici';
import {createPhaseConnector, type PhaseConnector} from './connect-phase.js';
import {startDeadline, type Deadline} from './deadline.js';
import {
	describeError,
	errorCode,
	type ErrorContext,
	type FailureCause,
} from './describe-failure.js';
import {drain, headerValue} from './read-body.js';

export type TransportOptions = {
	/** Deadline of a request that names none, and the longest a connection attempt may take. */
	readonly timeoutMs: number;
	/** Sent as `Authorization: Bearer <apiKey>`. */
	readonly apiKey?: string;
	/** Extra request headers (from `--header` or a targets file); they override the defaults and the API key. */
	readonly headers?: Readonly<Record<string, string>>;
	/** Skip TLS certificate verification. */
	readonly insecure?: boolean;
};

export type TransportRequest = {
	readonly method: 'GET' | 'POST';
	readonly accept: string;
	/** Deadline of the whole exchange; undefined waits for as long as the server takes (the caller's signal still ends it). */
	readonly timeoutMs: number | undefined;
	readonly signal?: AbortSignal;
};

export type Failed = {readonly ok: false} & FailureCause;

/** Reads an answer into a result, under the same deadline as the request. May throw: the error is described. */
export type ReadAnswer<T> = (
	response: Dispatcher.ResponseData,
) => Promise<T | Failed>;

export type HttpTransport = {
	/** Sends a request and reads its answer with `read`; every failure, timeout included, comes back as `Failed`. */
	exchange<T>(
		url: string,
		request: TransportRequest,
		read: ReadAnswer<T>,
	): Promise<T | Failed>;
	/** Ends whatever is in flight at once and closes the kept-alive connections. */
	close(): Promise<void>;
};

/** Redirects are followed for GETs only; a redirected POST is reported, since re-POSTing elsewhere is a surprise. */
const maxRedirects = 3;
/** Below uvicorn's 5 s keep-alive (vLLM's default), so an idle socket is dropped here before the server drops it. */
const keepAliveMs = 4000;

type Sent =
	{readonly ok: true; readonly response: Dispatcher.ResponseData} | Failed;

type Route = {
	readonly agent: Agent;
	readonly connector: PhaseConnector;
};

export function createHttpTransport(options: TransportOptions): HttpTransport {
	// One connection per origin keeps a poller on one kept-alive socket. POSTs get their own agent, because a
	// /stop_profile can hold its connection for minutes while the trace is flushed, and scrapes must not queue behind it.
	const makeRoute = (): Route => {
		const connector = createPhaseConnector({
			timeoutMs: options.timeoutMs,
			insecure: options.insecure,
		});
		const agent = new Agent({
			keepAliveTimeout: keepAliveMs,
			keepAliveMaxTimeout: keepAliveMs,
			connections: 1,
			connect: connector.connect,
		});
		return {agent, connector};
	};

	const routes = {GET: makeRoute(), POST: makeRoute()} as const;
	const credentials = credentialHeaders(options);
	const running = new Set<Deadline>();
	let closed = false;

	async function exchange<T>(
		url: string,
		sent: TransportRequest,
		read: ReadAnswer<T>,
	): Promise<T | Failed> {
		if (closed) {
			return {
				ok: false,
				kind: 'network',
				message: `${url}: the client is closed`,
			};
		}

		const deadline = startDeadline(sent.timeoutMs, sent.signal);
		running.add(deadline);
		const route = routes[sent.method];
		const progress: {phase: 'headers' | 'body'; url: string} = {
			phase: 'headers',
			url,
		};
		const context = (): ErrorContext => ({
			url,
			timedOut: deadline.timedOut(),
			cancelled: deadline.cancelled(),
			timeoutMs: sent.timeoutMs,
			phase:
				progress.phase === 'headers'
					? (route.connector.phaseOf(progress.url) ?? 'headers')
					: 'body',
		});

		const work = (async (): Promise<T | Failed> => {
			const answer = await send(url, sent, deadline, progress);
			if (!answer.ok) {
				return answer;
			}

			progress.phase = 'body';
			try {
				return await read(answer.response);
			} catch (error: unknown) {
				return {
					ok: false,
					status: answer.response.statusCode,
					...describeError(error, context()),
				};
			}
		})();
		try {
			return await Promise.race([work, whenAborted(deadline, context)]);
		} finally {
			deadline.dispose();
			running.delete(deadline);
			// The race may have left the work running; it ends on the aborted signal and its answer is not wanted.
			work.catch(() => undefined);
		}
	}

	async function send(
		url: string,
		sent: TransportRequest,
		deadline: Deadline,
		progress: {url: string},
	): Promise<Sent> {
		let current = url;
		for (let redirects = 0; ; redirects++) {
			progress.url = current;

			const answer = await requestOnce(current, url, sent, deadline);
			if (!answer.ok) {
				return answer;
			}

			const {response} = answer;
			const location = headerValue(response.headers, 'location');
			if (
				sent.method !== 'GET' ||
				!isRedirect(response.statusCode) ||
				location === ''
			) {
				return answer;
			}

			await drain(response.body);
			const next = redirectTarget(url, current, location, response, redirects);
			if (!next.ok) {
				return next;
			}

			current = next.href;
		}
	}

	/** One request; a kept-alive socket the server closed at the same moment gets one fresh try, safe for a GET. */
	async function requestOnce(
		current: string,
		original: string,
		sent: TransportRequest,
		deadline: Deadline,
	): Promise<Sent> {
		const attempt = async (): Promise<Sent> => ({
			ok: true,
			response: await request(current, {
				dispatcher: routes[sent.method].agent,
				method: sent.method,
				headers: headersFor(current, original, sent.accept),
				signal: deadline.signal,
				// Backstops only: the deadline is the real limit.
				headersTimeout: backstop(sent.timeoutMs),
				bodyTimeout: backstop(sent.timeoutMs),
			}),
		});
		const failed = (error: unknown): Failed => ({
			ok: false,
			...describeError(error, {
				url: original,
				timedOut: deadline.timedOut(),
				cancelled: deadline.cancelled(),
				timeoutMs: sent.timeoutMs,
				phase:
					errorCode(error) === 'UND_ERR_CONNECT_TIMEOUT' ? 'tcp' : 'headers',
			}),
		});
		try {
			return await attempt();
		} catch (error: unknown) {
			if (
				sent.method !== 'GET' ||
				!isStaleSocket(error) ||
				deadline.signal.aborted
			) {
				return failed(error);
			}

			return attempt().catch(failed);
		}
	}

	function headersFor(
		target: string,
		original: string,
		accept: string,
	): Record<string, string> {
		// Like browsers and curl: what the user gave (API key, --header, a targets file's headers) goes only to the
		// origin the user named, never to wherever it redirects.
		const sameOrigin = new URL(target).origin === new URL(original).origin;
		return {
			accept,
			'accept-encoding': 'gzip',
			'user-agent': 'vllm-top',
			...(sameOrigin ? credentials : {}),
		};
	}

	return {
		exchange,
		async close() {
			closed = true;
			for (const deadline of running) {
				deadline.abort();
			}

			for (const route of Object.values(routes)) {
				route.connector.destroyAll();
			}

			await Promise.all(
				Object.values(routes).map(async route =>
					route.agent.destroy().catch(() => undefined),
				),
			);
		},
	};
}

/** Settles with the failure as soon as the deadline passes or the caller cancels; never rejects. */
async function whenAborted(
	deadline: Deadline,
	context: () => ErrorContext,
): Promise<Failed> {
	const {signal} = deadline;
	return new Promise<Failed>(resolve => {
		const fail = () => {
			resolve({ok: false, ...describeError(signal.reason, context())});
		};

		if (signal.aborted) {
			fail();
		} else {
			signal.addEventListener('abort', fail, {once: true});
		}
	});
}

type RedirectTarget = {readonly ok: true; readonly href: string} | Failed;

/** Where a redirect leads, if it may be followed: http(s), a valid Location, and not too many hops. */
function redirectTarget(
	url: string,
	current: string,
	location: string,
	response: Dispatcher.ResponseData,
	redirects: number,
): RedirectTarget {
	const status = response.statusCode;
	let next: URL;
	try {
		next = new URL(location, current);
	} catch {
		return {
			ok: false,
			kind: 'http-status',
			status,
			message: `${url}: HTTP ${status} redirect to an invalid Location`,
		};
	}

	if (next.protocol !== 'http:' && next.protocol !== 'https:') {
		return {
			ok: false,
			kind: 'http-status',
			status,
			message: `${url}: HTTP ${status} redirect to unsupported ${next.protocol} URL`,
		};
	}

	// Credentials in a Location are the server's, and a URL shown to the user carries none.
	next.username = '';
	next.password = '';
	if (redirects === maxRedirects) {
		return {
			ok: false,
			kind: 'http-status',
			status,
			message: `${url}: more than ${maxRedirects} redirects (the last to ${next.href}); use the final URL directly`,
		};
	}

	return {ok: true, href: next.href};
}

function credentialHeaders(options: TransportOptions): Record<string, string> {
	const headers: Record<string, string> = {};
	if (options.apiKey !== undefined && options.apiKey !== '') {
		headers['authorization'] = `Bearer ${options.apiKey}`;
	}

	for (const [name, value] of Object.entries(options.headers ?? {})) {
		headers[name.toLowerCase()] = value;
	}

	return headers;
}

function backstop(timeoutMs: number | undefined): number {
	return timeoutMs === undefined ? 0 : timeoutMs + 1000;
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
