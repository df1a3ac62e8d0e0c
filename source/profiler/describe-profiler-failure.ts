/**
Turns a failed /start_profile or /stop_profile into one line a user can act on. The scrape client's messages are about
/metrics; here the same causes mean something else (a 404 means profiling is off, not a wrong path).
*/
import {STATUS_CODES} from 'node:http';
import type {ScrapeFailureKind} from '../scrape/scrape-result.js';

export type ProfilerStep = 'start' | 'stop';

/** What `ScrapeClient.post` reports on failure, plus the response body when the client has it. */
export type ProfilerFailure = {
	readonly kind: ScrapeFailureKind;
	readonly status?: number;
	readonly message: string;
	readonly body?: string;
};

export const profilerDisabledHint =
	'profiling is not enabled on this server: start vllm serve with --profiler-config \'{"profiler":"torch","torch_profiler_dir":"./vllm_profile"}\' (vLLM >= 0.13) or set VLLM_TORCH_PROFILER_DIR before starting it (older versions)';

export const droppedDuringStop =
	'connection dropped while the trace was being written: the server may still be writing it; check its profile directory';

export const traceWritten =
	"trace written: look in the server's torch_profiler_dir for *.pt.trace.json.gz; open it in https://ui.perfetto.dev or TensorBoard";

export const restartedDuringCapture =
	'server restarted during capture: the trace is lost';

export const restartedDuringStop =
	'server restarted while the trace was being written: the trace is probably lost or incomplete; check its profile directory';

/** Longest server message shown: the rest of a stack trace helps nobody on one status line. */
const maxServerMessage = 200;

export function describeProfilerFailure(
	step: ProfilerStep,
	url: string,
	failure: ProfilerFailure,
): string {
	const {status, kind} = failure;
	if (status === 404) {
		return profilerDisabledHint;
	}

	if (status === 405) {
		return `${url} does not accept POST (HTTP 405): is this a vLLM server, or a proxy that does not forward the profiler routes?`;
	}

	if (status !== undefined && status >= 400) {
		const said = serverMessage(failure.body);
		const verb = step === 'start' ? 'start' : 'stop';
		const what =
			status >= 500
				? `the server failed to ${verb} the profiler`
				: `the server refused to ${verb} the profiler`;
		if (said !== null) {
			return `${what} (HTTP ${status}): ${said}`;
		}

		const reason = STATUS_CODES[status] ?? 'unknown status';
		const hint =
			status === 401 || status === 403
				? 'something in front of it wants credentials: pass --api-key or --header'
				: "check the server's log";
		return `${what} (HTTP ${status} ${reason}): ${hint}`;
	}

	if (kind === 'refused') {
		return `connection refused by ${origin(url)}: the server is down or still loading the model; try again once it answers`;
	}

	if (kind === 'timeout') {
		return step === 'start'
			? `no answer to /start_profile from ${origin(url)} in time: the server is busy or hung; it may have started profiling, so press p to try again and then stop it`
			: failure.message;
	}

	if (kind === 'network' && failure.message.includes('request cancelled')) {
		return step === 'start'
			? 'start cancelled: the server may have started profiling; press p to try again and then stop it'
			: 'stop cancelled before the server answered: it received the stop and may still be writing the trace; check its profile directory';
	}

	if (kind === 'network' && isDropped(failure.message)) {
		return step === 'stop'
			? droppedDuringStop
			: 'connection dropped while starting the profiler: it may be running on the server; press p to try again and then stop it';
	}

	return `could not ${step} the profiler: ${failure.message}`;
}

/** A failed `post` as a ProfilerFailure, keeping the response body if the client provides one. */
export function profilerFailureOf(result: {
	readonly kind: ScrapeFailureKind;
	readonly status?: number;
	readonly message: string;
}): ProfilerFailure {
	const body =
		'body' in result && typeof result.body === 'string'
			? result.body
			: undefined;
	return {
		kind: result.kind,
		...(result.status === undefined ? {} : {status: result.status}),
		message: result.message,
		...(body === undefined ? {} : {body}),
	};
}

/** The error a server put in its body: FastAPI's `detail`, vLLM's `error.message`, `message`, or the text itself. */
export function serverMessage(body: string | undefined): string | null {
	if (body === undefined) {
		return null;
	}

	let text = body.trim();
	try {
		const json = JSON.parse(text) as unknown;
		const found = messageIn(json);
		if (found !== null) {
			text = found;
		}
	} catch {
		// Plain text or HTML: shown as it is, on one line.
	}

	text = oneLine(text);
	if (text === '') {
		return null;
	}

	return text.length > maxServerMessage
		? `${text.slice(0, maxServerMessage - 1)}…`
		: text;
}

function messageIn(json: unknown): string | null {
	if (typeof json === 'string') {
		return json;
	}

	if (typeof json !== 'object' || json === null) {
		return null;
	}

	for (const key of ['detail', 'message', 'error']) {
		const value: unknown = Reflect.get(json, key);
		if (typeof value === 'string') {
			return value;
		}

		if (typeof value === 'object' && value !== null) {
			const inner = messageIn(value);
			if (inner !== null) {
				return inner;
			}
		}
	}

	return null;
}

const droppedSigns = [
	'closed the connection',
	'econnreset',
	'epipe',
	'und_err_socket',
	'other side closed',
	'socket hang up',
	'body ended before',
];

function isDropped(message: string): boolean {
	const lower = message.toLowerCase();
	return droppedSigns.some(sign => lower.includes(sign));
}

function oneLine(text: string): string {
	return text
		.replaceAll('\r', ' ')
		.replaceAll('\n', ' ')
		.replaceAll('\t', ' ')
		.split(' ')
		.filter(word => word !== '')
		.join(' ');
}

/** Base URLs are joined with a path; a trailing slash would double it. */
export function withoutTrailingSlash(url: string): string {
	let end = url.length;
	while (end > 0 && url[end - 1] === '/') {
		end--;
	}

	return url.slice(0, end);
}

function origin(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return url;
	}
}
