/* eslint-disable unicorn/prefer-code-point -- the scanner works on UTF-16 code units on purpose: every syntax character is ASCII, and charCodeAt is the fast path. */
/**
The scanner's primitives, shared by both formats: a position in the page, the line count, and reading names, quoted
strings, floats and timestamps at that position. Each later layer (label sets, family resolution, the rules of each
format, the sample line) extends the one before, so the hot path stays one object with fields, not a web of closures.
*/
import type {ExpositionFormat} from './page.js';
import {parseFloatRange} from './parse-float.js';

export const tab = 9;
export const newline = 10;
export const space = 32;
export const quote = 34;
export const hash = 35;
export const comma = 44;
export const equals = 61;
export const backslash = 92;
export const braceOpen = 123;
export const braceClose = 125;
export const zero = 48;
export const nine = 57;

/**
A copy of a string cut from the page that does not keep the page alive. V8 makes a slice of 13 or more characters a
view into the whole text, so one model name kept across scrapes (the series catalog, the snapshot) would keep that
whole page in memory, per target. Prepending a character and slicing it off again copies the characters once.
*/
export function detached(slice: string): string {
	return slice.length < 13 ? slice : (' ' + slice).slice(1);
}

export const nameStartFlag = 1;
export const nameFlag = 2;
export const labelStartFlag = 4;
export const labelFlag = 8;

/** Character classes of the lexers: metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*`. */
export const charClass = (() => {
	const table = new Uint8Array(128);
	for (let c = 0; c < 128; c++) {
		const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
		const digit = c >= zero && c <= nine;
		if (letter || c === 58) {
			table[c]! |= nameStartFlag | nameFlag;
		}

		if (digit) {
			table[c]! |= nameFlag | labelFlag;
		}

		if (letter) {
			table[c]! |= labelStartFlag | labelFlag;
		}
	}

	return table;
})();

export function hasClass(c: number, flag: number): boolean {
	return c < 128 && (charClass[c]! & flag) !== 0;
}

export class ParseFailure extends Error {
	readonly reason: string;
	readonly line: number;

	constructor(reason: string, line: number) {
		super(reason);
		this.reason = reason;
		this.line = line;
	}
}

/** A short, single-line rendering of offending input for error messages. */
export function quoted(text: string): string {
	const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
	return JSON.stringify(short);
}

/** Label-value escaping shared by both formats: `\\`, `\"` and `\n`; any other escaped character is kept as written. */
export function unescapeRange(
	text: string,
	start: number,
	end: number,
	allowQuote: boolean,
): string {
	let result = '';
	let chunk = start;
	for (let i = start; i < end; i++) {
		if (text.charCodeAt(i) !== backslash || i + 1 >= end) {
			continue;
		}

		const next = text.charCodeAt(i + 1);
		let replacement: string | undefined;
		if (next === backslash) {
			replacement = '\\';
		} else if (next === 110 /* n */) {
			replacement = '\n';
		} else if (next === quote && allowQuote) {
			replacement = '"';
		}

		if (replacement !== undefined) {
			result += text.slice(chunk, i) + replacement;
			chunk = i + 2;
		}

		i++;
	}

	return result + text.slice(chunk, end);
}

export class Scanner {
	protected pos = 0;

	protected line = 1;

	protected readonly end: number;

	protected readonly openMetrics: boolean;

	/**
	Where the next newline and backslash are, found by native `indexOf` and refreshed only once passed: label values
	are then found with one `indexOf('"')` instead of a loop over their characters.
	*/
	protected nextNewline = -1;

	protected nextBackslash = -1;

	protected readonly text: string;

	constructor(text: string, format: ExpositionFormat) {
		this.text = text;
		this.end = text.length;
		this.openMetrics = format === 'openmetrics';
	}

	protected fail(reason: string, line = this.line): never {
		throw new ParseFailure(reason, line);
	}

	protected describeChar(at: number): string {
		if (at >= this.end) {
			return 'end of page';
		}

		const c = this.text.charCodeAt(at);
		if (c === newline) {
			return 'end of line';
		}

		return `character ${JSON.stringify(String.fromCodePoint(this.text.codePointAt(at)!))}`;
	}

	/** Spaces and tabs: the text format allows them between any two tokens. */
	protected skipBlanks(): void {
		const {text, end} = this;
		let {pos} = this;
		while (pos < end) {
			const c = text.charCodeAt(pos);
			if (c !== space && c !== tab) {
				break;
			}

			pos++;
		}

		this.pos = pos;
	}

	protected startsWithAt(word: string): boolean {
		return this.text.startsWith(word, this.pos);
	}

	protected lineEnd(from: number): number {
		const index = this.text.indexOf('\n', from);
		return index === -1 ? this.end : index;
	}

	/** Consumes the newline at `pos`, if any. */
	protected endLine(): void {
		if (this.pos < this.end) {
			this.pos++;
			this.line++;
		}
	}

	/**
	Whether the metric name at `start` is exactly `name`, a name read earlier from the page. Comparing two slices of the
	page is one native compare, about three times faster here than `startsWith` or a charCodeAt loop; the character after
	is checked first, which turns most other names away without a slice.
	*/
	protected nameIsAt(name: string, start: number): boolean {
		const {text, end} = this;
		const after = start + name.length;
		return (
			after <= end &&
			(after === end || !hasClass(text.charCodeAt(after), nameFlag)) &&
			text.slice(start, after) === name
		);
	}

	/**
	Scans a metric name at `pos`, a name read from the page, and returns `known` itself when the name is the same, so
	equal names share a string. When `known` is only a prefix (`x` of a TYPE line before `x_bucket`), scanning goes on
	after it. The last characters are compared first, so an unrelated `known` costs no slice.
	*/
	protected scanMetricName(known: string): string {
		const {text, end} = this;
		const start = this.pos;
		const after = start + known.length;
		let pos = start + 1;
		if (
			known.length > 0 &&
			after <= end &&
			text.charCodeAt(after - 1) === known.charCodeAt(known.length - 1) &&
			text.slice(start, after) === known
		) {
			if (after === end || !hasClass(text.charCodeAt(after), nameFlag)) {
				this.pos = after;
				return known;
			}

			pos = after;
		}

		while (pos < end && hasClass(text.charCodeAt(pos), nameFlag)) {
			pos++;
		}

		this.pos = pos;
		return detached(text.slice(start, pos));
	}

	/** Moves past one OpenMetrics token: up to the next space or the end of the line. */
	protected skipToken(): void {
		const {text, end} = this;
		while (this.pos < end) {
			const c = text.charCodeAt(this.pos);
			if (c === space || c === newline) {
				return;
			}

			this.pos++;
		}
	}

	/**
	Reads a double-quoted string at `pos` and returns it unescaped. The text format lets label values, quoted names and
	HELP names span lines; OpenMetrics label values and all exemplar strings may not. A backslash before a newline
	matches no token in either lexer.
	*/
	protected readQuoted(
		allowNewline: boolean,
		labelKey: string | undefined,
	): string {
		const {text, end} = this;
		// Built only on failure: this runs for every label value.
		const what = () =>
			labelKey === undefined
				? 'quoted name'
				: `value of label ${quoted(labelKey)}`;
		const startLine = this.line;
		let pos = this.pos + 1;
		const start = pos;
		let escaped = false;
		for (;;) {
			if (pos >= end) {
				this.fail(
					`unterminated ${what()}: no closing quote before the end of the page`,
					startLine,
				);
			}

			const c = text.charCodeAt(pos);
			if (c === quote) {
				break;
			}

			if (c === backslash) {
				if (pos + 1 >= end) {
					this.fail(
						`unterminated ${what()}: no closing quote before the end of the page`,
						startLine,
					);
				}

				if (text.charCodeAt(pos + 1) === newline) {
					this.fail(
						String.raw`bad escape in ${what()}: backslash at end of line (write \n for a newline)`,
					);
				}

				escaped = true;
				pos += 2;
				continue;
			}

			if (c === newline) {
				if (!allowNewline) {
					this.fail(
						`unterminated ${what()}: no closing quote before the end of the line`,
						startLine,
					);
				}

				this.line++;
			}

			pos++;
		}

		this.pos = pos + 1;
		return escaped
			? unescapeRange(text, start, pos, true)
			: detached(text.slice(start, pos));
	}

	protected floatAt(start: number, stop: number, what: string): number {
		const value = parseFloatRange(this.text, start, stop);
		if (value === undefined) {
			const token = this.text.slice(start, stop);
			const hint = token.endsWith('\r')
				? ' (the line ends with a carriage return; CRLF line endings are not allowed)'
				: '; expected a float such as 1, -2.5e3, NaN, +Inf or -Inf';
			this.fail(`invalid ${what} ${quoted(token)}${hint}`);
		}

		return value;
	}

	/** The text format's timestamp is a Go int64 of milliseconds. */
	protected integerTimestamp(start: number, stop: number): number {
		let first = start;
		while (first < stop - 1 && this.text.charCodeAt(first) === zero) {
			first++;
		}

		const digits = this.text.slice(first, stop);
		if (
			digits.length > 19 ||
			(digits.length === 19 && digits > '9223372036854775807')
		) {
			this.fail(
				`timestamp ${quoted(this.text.slice(start, stop))} is out of range for int64 milliseconds`,
			);
		}

		return Number(digits);
	}

	/** OpenMetrics timestamps are float seconds; Prometheus keeps whole milliseconds, truncating toward zero. */
	protected secondsTimestamp(
		start: number,
		stop: number,
		what: string,
	): number {
		const seconds = this.floatAt(start, stop, what);
		if (!Number.isFinite(seconds)) {
			this.fail(
				`invalid ${what} ${quoted(this.text.slice(start, stop))}: must be a finite number of seconds`,
			);
		}

		return Math.trunc(seconds * 1000) + 0;
	}
}
