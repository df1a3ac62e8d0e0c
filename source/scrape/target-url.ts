/**
Turns what a user typed into the /metrics URL to scrape and the base URL the other vLLM endpoints hang off.

A bare `host:port` means plain HTTP, because that is how `vllm serve` listens. A bare host or port without the other
falls back to vLLM's defaults (port 8000, host localhost), so `vllm-top gpu-box` and `vllm-top :8001` both work.
Another server's page (a DCGM exporter's, port 9400) passes its own default port.
*/

export type NormalizedTargetUrl =
	| {readonly ok: true; readonly url: string; readonly base: string}
	| {readonly ok: false; readonly error: string};

const vllmDefaultPort = '8000';
const schemePattern = /^[a-z][\d+.a-z-]*:\/\//iu;

export function normalizeTargetUrl(
	input: string,
	defaultPort = vllmDefaultPort,
): NormalizedTargetUrl {
	const text = input.trim();
	if (text === '') {
		return {
			ok: false,
			error:
				'empty target URL: give one like http://localhost:8000/metrics or localhost:8000',
		};
	}

	if (/\s/u.test(text)) {
		return {
			ok: false,
			error: `invalid target URL '${input}': it contains spaces`,
		};
	}

	const withScheme = schemePattern.test(text)
		? text
		: `http://${withDefaults(text, defaultPort)}`;
	let parsed: URL;
	try {
		parsed = new URL(withScheme);
	} catch {
		return {
			ok: false,
			error: `invalid target URL '${text}': expected something like http://host:8000/metrics or host:8000`,
		};
	}

	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		return {
			ok: false,
			error: `unsupported scheme '${parsed.protocol.slice(0, -1)}' in '${text}': only http:// and https:// can be scraped`,
		};
	}

	if (parsed.hostname === '') {
		return {ok: false, error: `invalid target URL '${text}': no host name`};
	}

	if (parsed.username !== '' || parsed.password !== '') {
		return {
			ok: false,
			error: `credentials in the target URL '${parsed.host}' are not supported: use --api-key or --header 'Authorization: ...'`,
		};
	}

	parsed.hash = '';
	// A path whose last part does not name a metrics page is a prefix (a reverse proxy's `/vllm`, or `/vllm/`): the
	// standard metrics path is appended, and /health, /version and the profiler hang off the same prefix.
	const lastSegment =
		parsed.pathname.replace(/\/+$/u, '').split('/').at(-1) ?? '';
	if (!lastSegment.includes('metrics')) {
		parsed.pathname = `${parsed.pathname.replace(/\/+$/u, '')}/metrics`;
	}

	return {
		ok: true,
		url: parsed.href,
		base: parsed.origin + basePath(parsed.pathname),
	};
}

function withDefaults(text: string, defaultPort: string): string {
	if (/^:?\d+$/u.test(text)) {
		return `localhost:${text.replace(':', '')}`;
	}

	const authorityEnd = text.search(/[/?#]/u);
	const authority = authorityEnd === -1 ? text : text.slice(0, authorityEnd);
	const rest = authorityEnd === -1 ? '' : text.slice(authorityEnd);
	if (authority.startsWith(':')) {
		return `localhost${text}`;
	}

	return hasPort(authority) ? text : `${authority}:${defaultPort}${rest}`;
}

function hasPort(authority: string): boolean {
	return authority.startsWith('[')
		? /\]:\d*$/u.test(authority)
		: authority.includes(':');
}

/** The path prefix before `/metrics`, or the directory of any other path. Never ends with a slash. */
function basePath(pathname: string): string {
	const metricsAt = pathname.search(/\/metrics\/?$/u);
	const prefix =
		metricsAt === -1
			? pathname.slice(0, pathname.lastIndexOf('/'))
			: pathname.slice(0, metricsAt);
	return prefix.replace(/\/+$/u, '');
}
