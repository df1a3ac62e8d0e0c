/**
Strings that came from outside (HTTP bodies and headers, label values, file contents) made safe to print on a
terminal. A server could otherwise set the terminal's title (OSC), clear the screen (CSI), or erase text with
backspaces. Every C0 and C1 control, DEL, and the Unicode controls that reorder or break lines are shown as visible
escapes (`\x1b`, `\u202e`), so an escape sequence arrives as harmless text and what the server sent stays readable.

JSON output keeps the raw strings: JSON escapes them itself.
*/

// C0 (but the newline), DEL, C1; bidirectional overrides, embeddings and isolates; line and paragraph separators.
// Written as escapes in a string, since a control character in a regular expression literal reads as a mistake.
const controlsButNewline = String.raw`\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069`;
const unsafe = new RegExp(String.raw`[\n${controlsButNewline}]`, 'gu');
// For multi-line text of our own that carries outside strings.
const unsafeButNewline = new RegExp(`[${controlsButNewline}]`, 'gu');

function visible(character: string): string {
	const code = character.codePointAt(0)!;
	return code <= 0xff
		? String.raw`\x${code.toString(16).padStart(2, '0')}`
		: String.raw`\u${code.toString(16).padStart(4, '0')}`;
}

/** The string with every control character shown as an escape; one line stays one line. */
export function printable(text: string): string {
	unsafe.lastIndex = 0;
	return unsafe.test(text) ? text.replaceAll(unsafe, visible) : text;
}

/** As `printable`, but line breaks stay: for whole messages and reports of several lines. */
export function printableLines(text: string): string {
	unsafeButNewline.lastIndex = 0;
	return unsafeButNewline.test(text)
		? text.replaceAll(unsafeButNewline, visible)
		: text;
}

/** A copy of a JSON-like value with every string (keys too) made printable; what needs no change is returned as is. */
export function printableDeep<T>(value: T): T {
	// Same shape by construction: only strings are replaced, by strings.
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
	return deep(value) as T;
}

function deep(value: unknown): unknown {
	if (typeof value === 'string') {
		return printable(value);
	}

	if (Array.isArray(value)) {
		return value.map(item => deep(item));
	}

	if (typeof value === 'object' && value !== null && isPlain(value)) {
		return Object.fromEntries(
			Object.entries(value).map(([key, item]) => [printable(key), deep(item)]),
		);
	}

	return value;
}

function isPlain(value: object): boolean {
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}
