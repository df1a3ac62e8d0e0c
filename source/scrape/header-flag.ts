/**
Parses one `--header 'Name: value'` flag. Checked here so a typo is reported at start-up, not as a failed scrape.
A header often carries a secret, so an error shows at most a valid header name, never the value.
*/

export type ParsedHeaderFlag =
	| {readonly ok: true; readonly name: string; readonly value: string}
	| {readonly ok: false; readonly error: string};

// RFC 9110 token characters.
const tokenPattern = /^[!#$%&'*+.^`|~\w-]+$/u;

// Framing headers are the HTTP client's job; letting a flag override them breaks the connection.
const reservedNames = new Set([
	'host',
	'content-length',
	'transfer-encoding',
	'connection',
	'keep-alive',
	'upgrade',
	'expect',
	'te',
	'trailer',
]);

export function parseHeaderFlag(flag: string): ParsedHeaderFlag {
	const colon = flag.indexOf(':');
	if (colon === -1) {
		return {
			ok: false,
			error: `invalid --header: expected 'Name: value', e.g. --header 'X-Team: infra' (a header with no ':' is not shown, as it may hold a secret)`,
		};
	}

	const name = flag.slice(0, colon).trim();
	const value = flag.slice(colon + 1).trim();
	if (name === '') {
		return {
			ok: false,
			error: `invalid --header: the header name before ':' is empty`,
		};
	}

	if (!tokenPattern.test(name)) {
		return {
			ok: false,
			error: `invalid --header: the name before ':' is not a valid header name (letters, digits and -_. only)`,
		};
	}

	if (reservedNames.has(name.toLowerCase())) {
		return {
			ok: false,
			error: `invalid --header '${name}': managed by the HTTP client, it cannot be set`,
		};
	}

	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0008\u000A-\u001F\u007F]/u.test(value)) {
		return {
			ok: false,
			error: `invalid --header '${name}': the value contains control characters`,
		};
	}

	return {ok: true, name, value};
}
