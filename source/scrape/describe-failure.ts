import {STATUS_CODES} from 'node:http';
import type {ScrapeFailureKind} from './scrape-result.js';

/** A failure before it is stamped with timing: the kind, the status if a response came back, and a one-line message. */
export type FailureCause = {
	readonly kind: ScrapeFailureKind;
	readonly status?: number;
	readonly message: string;
	/** The line of the page that was rejected, when the page itself was the problem. */
	readonly line?: number;
};

export type ErrorContext = {
	readonly url: string;
	readonly timedOut: boolean;
	readonly cancelled: boolean;
	readonly timeoutMs: number | undefined;
	/**
	How far the exchange got, so a timeout can say what ran out: looking up the host (`dns`), the TCP handshake
	(`tcp`), the TLS handshake (`tls`), waiting for the response headers, or reading the body.
	*/
	readonly phase: 'dns' | 'tcp' | 'tls' | 'headers' | 'body';
};

const tlsCodes =
	/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(?:VERIFY|GET)|ERR_OSSL|EPROTO|HOSTNAME_MISMATCH|ALTNAME/u;

/** Maps anything thrown while talking to a target to a typed cause. Never throws. */
export function describeError(
	error: unknown,
	context: ErrorContext,
): FailureCause {
	const {url} = context;
	const code = errorCode(error);
	const detail = oneLine(errorMessage(error));
	if (
		context.timedOut ||
		/^UND_ERR_(?:HEADERS|BODY|CONNECT)_TIMEOUT$/u.test(code)
	) {
		return {kind: 'timeout', message: describeTimeout(context)};
	}

	if (
		context.cancelled ||
		code === 'UND_ERR_ABORTED' ||
		code === 'UND_ERR_DESTROYED' ||
		code === 'UND_ERR_CLOSED'
	) {
		return {kind: 'network', message: `${url}: request cancelled`};
	}

	if (code === 'ECONNREFUSED') {
		return {
			kind: 'refused',
			message: `${url}: connection refused: starting or down (vLLM refuses connections while the model loads)`,
		};
	}

	if (
		code === 'ENOTFOUND' ||
		code === 'EAI_AGAIN' ||
		code === 'EAI_NONAME' ||
		code === 'EAI_FAIL'
	) {
		return {
			kind: 'network',
			message: `${url}: host ${hostOf(url)} not found (DNS ${code}); check the host name`,
		};
	}

	if (
		code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
		code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG'
	) {
		return {
			kind: 'tls',
			message: `${url}: TLS handshake failed (${opensslReason(detail)}): the port seems to speak plain HTTP; use http:// instead of https://`,
		};
	}

	if (tlsCodes.test(code) || /ssl|tls|certificate/iu.test(detail)) {
		return {
			kind: 'tls',
			message: `${url}: TLS error: ${opensslReason(detail)} (${code || 'TLS'}); use --insecure to skip certificate checks, or NODE_EXTRA_CA_CERTS=ca.pem to trust a private CA`,
		};
	}

	if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') {
		const when =
			context.phase === 'body'
				? 'in the middle of the body'
				: 'before it answered';
		return {
			kind: 'network',
			message: `${url}: the server closed the connection ${when} (${code}: ${detail})`,
		};
	}

	if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
		return {
			kind: 'network',
			message: `${url}: the body ended before its Content-Length (${detail})`,
		};
	}

	if (
		code === 'EHOSTUNREACH' ||
		code === 'ENETUNREACH' ||
		code === 'ETIMEDOUT'
	) {
		return {
			kind: 'network',
			message: `${url}: host unreachable (${code}); check the network path or firewall`,
		};
	}

	if (code.startsWith('HPE_')) {
		return {
			kind: 'network',
			message: `${url}: the answer is not valid HTTP (${code}); is this port an HTTP server?`,
		};
	}

	return {
		kind: 'network',
		message: `${url}: ${detail}${code ? ` (${code})` : ''}`,
	};
}

const timeoutPhases: Readonly<Record<ErrorContext['phase'], string>> = {
	dns: 'connect timeout {after} looking up the host name; check the host name and DNS',
	tcp: 'connect timeout {after}: no answer to the TCP handshake; the host is down or a firewall drops the packets',
	tls: 'connect timeout {after} in the TLS handshake: the port accepted the connection but never completed TLS; is it an https:// port?',
	headers:
		'timeout {after} waiting for a response; the server is overloaded or hung (raise --timeout if it is just slow)',
	body: 'timeout {after} waiting for the rest of the body; the server is overloaded or hung (raise --timeout if it is just slow)',
};

/** The phase that ran out, e.g. "connect timeout after 2000 ms: no answer to the TCP handshake; …". */
function describeTimeout(context: ErrorContext): string {
	const after =
		context.timeoutMs === undefined ? '' : `after ${context.timeoutMs} ms`;
	const text = timeoutPhases[context.phase].replace('{after}', after);
	return `${context.url}: ${text.replaceAll(/ {2,}/gu, ' ').replaceAll(' :', ':')}`;
}

/** A non-2xx answer, with the hint that fits the status. */
export function describeStatus(
	url: string,
	status: number,
	contentType: string,
): FailureCause {
	const reason = STATUS_CODES[status] ?? 'unknown status';
	const html = isHtml(contentType);
	let hint: string;
	switch (status) {
		case 401:
		case 403: {
			hint =
				'the server wants credentials: pass --api-key (or --header "Authorization: ...")';

			break;
		}

		case 404: {
			hint = html
				? 'got an HTML page: not a /metrics endpoint? check the URL path'
				: 'no such path on this server: check the URL path';

			break;
		}

		case 429: {
			hint = 'rate limited: scrape less often (raise the interval)';

			break;
		}

		case 502:
		case 503:
		case 504: {
			hint = 'the server or a proxy in front of it is unavailable';

			break;
		}

		default: {
			if (status >= 500) {
				hint = 'the server failed: check its logs';
			} else if (status >= 300 && status < 400) {
				hint = 'redirected; use the final URL directly';
			} else {
				hint = 'unexpected status';
			}
		}
	}

	return {
		kind: 'http-status',
		status,
		message: `${url}: HTTP ${status} ${reason}: ${hint}`,
	};
}

export function describeTooLarge(
	url: string,
	maxBytes: number,
	decoded: boolean,
): FailureCause {
	const what = decoded ? 'the decompressed body is' : 'the response is';
	return {
		kind: 'too-large',
		message: `${url}: too large: ${what} over the ${formatBytes(maxBytes)} cap; raise it with --max-bytes`,
	};
}

export function isHtml(contentType: string): boolean {
	return /^\s*(?:text\/html|application\/xhtml\+xml)\b/iu.test(contentType);
}

export function isJson(contentType: string): boolean {
	return /^\s*application\/(?:[\w.+-]+\+)?json\b/iu.test(contentType);
}

export function formatBytes(bytes: number): string {
	if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) {
		return `${bytes / (1 << 20)} MiB`;
	}

	if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) {
		return `${bytes / (1 << 10)} KiB`;
	}

	return `${bytes} bytes`;
}

/** Node reports some connect failures as an AggregateError (one per address tried); the first code is the cause. */
export function errorCode(error: unknown): string {
	if (typeof error !== 'object' || error === null) {
		return '';
	}

	const {code} = error as {code?: unknown};
	if (typeof code === 'string' && code !== '') {
		return code;
	}

	if (error instanceof AggregateError) {
		for (const inner of error.errors) {
			const innerCode = errorCode(inner);
			if (innerCode !== '') {
				return innerCode;
			}
		}
	}

	const {cause} = error as {cause?: unknown};
	return cause === undefined || cause === error ? '' : errorCode(cause);
}

function errorMessage(error: unknown): string {
	if (
		error instanceof AggregateError &&
		error.message === '' &&
		error.errors.length > 0
	) {
		return errorMessage(error.errors[0]);
	}

	if (error instanceof Error) {
		return error.message === '' ? error.name : error.message;
	}

	return String(error);
}

/** OpenSSL messages carry a library, function, file and line; only the reason helps a user. */
function opensslReason(detail: string): string {
	return /:er{2}or(?::[^:]*){3}:([^:]+):/u.exec(detail)?.[1] ?? detail;
}

function oneLine(text: string): string {
	return text.replaceAll(/\s+/gu, ' ').trim();
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}
