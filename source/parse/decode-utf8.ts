/**
Strict UTF-8 decoding for every page that comes in (a scrape, a `samples` file or standard input, a recording
line). The Prometheus text format is UTF-8, and Prometheus rejects a page whose label values or HELP text are not;
decoding with replacement characters instead would show and store made-up text. The error names the first bad line.
*/
import {isUtf8} from 'node:buffer';

export type Utf8Decoded =
	{readonly ok: true; readonly text: string} | Utf8Failure;

const newline = 0x0a;

/** Why a page with such a line is rejected, for messages about pages. */
export const utf8Rule =
	'Prometheus rejects label values and HELP text that are not UTF-8';

export type Utf8Failure = {
	readonly ok: false;
	readonly line: number;
	readonly error: string;
};

/** The first line that is not valid UTF-8, or undefined when the whole page is. */
export function utf8Failure(bytes: Uint8Array): Utf8Failure | undefined {
	if (isUtf8(bytes)) {
		return undefined;
	}

	// A newline byte is never part of a multi-byte character, so lines can be checked one by one.
	let start = 0;
	let line = 1;
	for (;;) {
		const end = bytes.indexOf(newline, start);
		const stop = end === -1 ? bytes.length : end;
		if (!isUtf8(bytes.subarray(start, stop)) || end === -1) {
			return {
				ok: false,
				line,
				error: `line ${line}: not valid UTF-8`,
			};
		}

		start = end + 1;
		line++;
	}
}

export function decodeUtf8(bytes: Uint8Array): Utf8Decoded {
	return (
		utf8Failure(bytes) ?? {
			ok: true,
			text: Buffer.from(
				bytes.buffer,
				bytes.byteOffset,
				bytes.byteLength,
			).toString('utf8'),
		}
	);
}
