/**
`samples` on the plain shape of a text-format page, straight from its bytes, with no object per sample: the shape
every exporter writes (`name{label="value",...} value [timestamp]`, `# HELP` and `# TYPE` lines, no blanks inside
braces, no escapes). Each line is checked with the parser's own character classes, float syntax and TYPE words, and its
JSON is copied from the page's bytes: a name or a label value needs no escaping in JSON when it has no quote,
backslash or control character, and valid UTF-8 copies as is.

Anything outside that shape (OpenMetrics, an escape, a blank in the braces, a quoted name, `__name__`, a long line, an
error) makes it decline, and the caller runs the full parser instead, which accepts or rejects the page exactly as
Prometheus does. What this accepts, the parser accepts with the same samples.
*/
import {parseFloatRange} from '../parse/parse-float.js';
import {
	braceClose,
	braceOpen,
	charClass,
	comma,
	equals,
	hasClass,
	hash,
	labelFlag,
	labelStartFlag,
	nameFlag,
	nameStartFlag,
	newline,
	nine,
	quote,
	space,
	tab,
	zero,
} from '../parse/scanner.js';
import {textTypes} from '../parse/text-rules.js';
import {ByteChunks} from './byte-chunks.js';
import {appendTimestamp, appendValue} from './sample-json.js';

const encoder = new TextEncoder();
const nameKey = encoder.encode('{"name":"');
const labelsKey = encoder.encode('","labels":{');
const valueKey = encoder.encode('},"value":');
const labelOpen = encoder.encode('"');
const nextLabelOpen = encoder.encode(',"');
const labelMiddle = encoder.encode('":"');
const labelClose = encoder.encode('"');
const help = encoder.encode('HELP ');
const type = encoder.encode('TYPE ');
const underscore = 95;
const controlLimit = 0x20;
const backslashByte = 92;
const asciiLimit = 0x80;

/** Longer lines are left to the parser, so that the room kept for one line's JSON stays small. */
const longestLine = 1 << 14;

/** A line's JSON is at most twice its length (`a="b",` becomes `"a":"b",`) plus the keys and a number or two. */
const lineRoom = 2 * longestLine + 128;

/** More labels than any exporter writes: the duplicate check compares each name with those before it. */
const mostLabels = 32;

/** Integer millisecond timestamps up to 15 digits are exact as numbers; longer ones are left to the parser. */
const longestTimestamp = 15;

const declined = -1;

class PlainPageScanner {
	readonly lines: ByteChunks;

	private readonly bytes: Buffer;

	/** The page as one character per byte: numbers and TYPE words are read from it at the bytes' own offsets. */
	private readonly latin1: string;

	/** Start and end of each label name of the set being read, for the duplicate check. */
	private readonly labelNames = new Int32Array(2 * mostLabels);

	constructor(bytes: Buffer, chunkSize?: number) {
		this.bytes = bytes;
		this.latin1 = bytes.toString('latin1');
		this.lines = new ByteChunks(chunkSize);
	}

	/** False when the page is not of the plain shape. */
	run(): boolean {
		const {bytes} = this;
		const end = bytes.length;
		let pos = 0;
		while (pos < end) {
			const c = bytes[pos]!;
			if (c === newline) {
				pos++;
				continue;
			}

			this.lines.room(lineRoom);
			pos = c === hash ? this.comment(pos) : this.sampleLine(pos);
			if (pos === declined) {
				return false;
			}
		}

		return true;
	}

	/** Past the newline that ends a line at `pos`, or the end of the page; declined when `pos` is not there. */
	private endOfLine(pos: number, limit: number): number {
		if (pos < limit) {
			return this.bytes[pos] === newline ? pos + 1 : declined;
		}

		return limit === this.bytes.length ? limit : declined;
	}

	private skipBlanks(from: number, limit: number): number {
		const {bytes} = this;
		let pos = from;
		while (pos < limit && (bytes[pos] === space || bytes[pos] === tab)) {
			pos++;
		}

		return pos;
	}

	private skipClass(from: number, limit: number, flag: number): number {
		const {bytes} = this;
		let pos = from;
		while (pos < limit && hasClass(bytes[pos]!, flag)) {
			pos++;
		}

		return pos;
	}

	/** Copies the bytes of class `flag` from `from` on, and returns where they end. */
	private copyClass(from: number, limit: number, flag: number): number {
		const {bytes, lines} = this;
		const {chunk} = lines;
		let {pos: out} = lines;
		let pos = from;
		while (pos < limit) {
			const c = bytes[pos]!;
			// `hasClass` written out: this runs for every byte of every name, also before the loop is compiled.
			if (c >= 128 || (charClass[c]! & flag) === 0) {
				break;
			}

			chunk[out++] = c;
			pos++;
		}

		lines.pos = out;
		return pos;
	}

	private startsWith(word: Uint8Array, at: number): boolean {
		const {bytes} = this;
		if (at + word.length > bytes.length) {
			return false;
		}

		return word.every((byte, index) => bytes[at + index] === byte);
	}

	/** `# HELP name ...` and `# TYPE name type` as exporters write them; any other comment is skipped. */
	private comment(start: number): number {
		const {bytes} = this;
		const limit = Math.min(bytes.length, start + longestLine);
		const afterHash = start + 1;
		const c = bytes[afterHash];
		if (c === space || c === tab) {
			const word = this.skipBlanks(afterHash, limit);
			const isHelp = this.startsWith(help, word);
			const isType = !isHelp && this.startsWith(type, word);
			// The parser also takes other blanks around the keyword; those pages are left to it.
			if (isHelp || isType || this.isMetadata(word)) {
				return word === start + 2 && (isHelp || isType)
					? this.metadata(word + help.length, limit, isType)
					: declined;
			}
		}

		const lineEnd = bytes.indexOf(newline, afterHash);
		return lineEnd === -1 ? bytes.length : lineEnd + 1;
	}

	/** `HELP` or `TYPE` then a blank at `at`, as the parser finds a metadata line. */
	private isMetadata(at: number): boolean {
		const {bytes} = this;
		const after = bytes[at + 4];
		return (
			(after === space || after === tab) &&
			(this.startsWith(help.subarray(0, 4), at) ||
				this.startsWith(type.subarray(0, 4), at))
		);
	}

	/** The metric name of a HELP or TYPE line at `start`; a TYPE line must then name one of the text format's types. */
	private metadata(start: number, limit: number, isType: boolean): number {
		const {bytes} = this;
		if (start >= limit || !hasClass(bytes[start]!, nameStartFlag)) {
			return declined;
		}

		if (!isType) {
			const lineEnd = bytes.indexOf(newline, start);
			return lineEnd === -1 ? bytes.length : lineEnd + 1;
		}

		const nameEnd = this.skipClass(start + 1, limit, nameFlag);
		if (nameEnd >= limit || bytes[nameEnd] !== space) {
			return declined;
		}

		const wordEnd = this.skipClass(nameEnd + 1, limit, labelFlag);
		return textTypes.has(this.latin1.slice(nameEnd + 1, wordEnd))
			? this.endOfLine(wordEnd, limit)
			: declined;
	}

	/** `name{label="value",...} value [timestamp]` at `start`, appended as one NDJSON line. */
	private sampleLine(start: number): number {
		const {bytes, lines} = this;
		const limit = Math.min(bytes.length, start + longestLine);
		if (!hasClass(bytes[start]!, nameStartFlag)) {
			return declined;
		}

		lines.bytes(nameKey);
		let pos = this.copyClass(start, limit, nameFlag);
		lines.bytes(labelsKey);
		if (pos < limit && bytes[pos] === braceOpen) {
			pos = this.labelSet(pos + 1, limit);
			if (pos === declined) {
				return declined;
			}

			pos = this.skipBlanks(pos, limit);
		} else {
			const nameEnd = pos;
			pos = this.skipBlanks(pos, limit);
			// A blank before the braces, or a value run into the name, is left to the parser.
			if (pos === nameEnd || bytes[pos] === braceOpen) {
				return declined;
			}
		}

		lines.bytes(valueKey);
		pos = this.value(pos, limit);
		return pos === declined ? declined : this.timestamp(pos, limit);
	}

	/** Labels after `{` up to and including `}`, each written as `"name":"value"`. */
	private labelSet(from: number, limit: number): number {
		const {bytes} = this;
		let pos = from;
		for (let count = 0; ; count++) {
			if (pos < limit && bytes[pos] === braceClose) {
				return pos + 1;
			}

			pos = this.label(pos, limit, count);
			if (pos === declined) {
				return declined;
			}

			if (pos < limit && bytes[pos] === comma) {
				pos++;
			} else if (pos >= limit || bytes[pos] !== braceClose) {
				return declined;
			}
		}
	}

	/** `name="value"` at `start`, the `count`-th label of its set. */
	private label(start: number, limit: number, count: number): number {
		const {bytes, lines} = this;
		if (
			count === mostLabels ||
			start + 1 >= limit ||
			!hasClass(bytes[start]!, labelStartFlag) ||
			// `__name__` is refused by the parser, and other reserved names are rare: both are left to it.
			(bytes[start] === underscore && bytes[start + 1] === underscore)
		) {
			return declined;
		}

		lines.bytes(count === 0 ? labelOpen : nextLabelOpen);
		const nameEnd = this.copyClass(start, limit, labelFlag);
		if (
			nameEnd + 1 >= limit ||
			bytes[nameEnd] !== equals ||
			bytes[nameEnd + 1] !== quote ||
			this.isRepeated(start, nameEnd, count)
		) {
			return declined;
		}

		lines.bytes(labelMiddle);
		const valueEnd = this.copyPlainValue(nameEnd + 2, limit);
		if (valueEnd === declined) {
			return declined;
		}

		lines.bytes(labelClose);
		return valueEnd + 1;
	}

	/**
	Copies a label value that JSON takes as it is (no backslash and no control character) up to its closing quote, and
	returns where that quote is.
	*/
	private copyPlainValue(from: number, limit: number): number {
		const {bytes, lines} = this;
		const {chunk} = lines;
		let {pos: out} = lines;
		for (let pos = from; pos < limit; pos++) {
			const c = bytes[pos]!;
			if (c === quote) {
				lines.pos = out;
				return pos;
			}

			if (c < controlLimit || c === backslashByte) {
				return declined;
			}

			chunk[out++] = c;
		}

		return declined;
	}

	/** Whether the label name `bytes[start..end)` is one of the first `count` of its set; records it as the next. */
	private isRepeated(start: number, end: number, count: number): boolean {
		const {bytes, labelNames} = this;
		const length = end - start;
		for (let index = 0; index < count; index++) {
			const other = labelNames[2 * index]!;
			if (labelNames[2 * index + 1]! - other === length) {
				let same = true;
				for (let k = 0; k < length && same; k++) {
					same = bytes[start + k] === bytes[other + k];
				}

				if (same) {
					return true;
				}
			}
		}

		labelNames[2 * count] = start;
		labelNames[2 * count + 1] = end;
		return false;
	}

	/** The value at `start`, parsed with the parser's float syntax and written as JSON writes the number. */
	private value(start: number, limit: number): number {
		const {bytes} = this;
		let pos = start;
		while (pos < limit) {
			const c = bytes[pos]!;
			if (c === space || c === tab || c === newline) {
				break;
			}

			if (c >= asciiLimit || c === braceOpen) {
				return declined;
			}

			pos++;
		}

		const value = parseFloatRange(this.latin1, start, pos);
		if (value === undefined) {
			return declined;
		}

		appendValue(this.lines, value);
		return pos;
	}

	/** An optional integer millisecond timestamp after the value, then the end of the line. */
	private timestamp(from: number, limit: number): number {
		const {bytes} = this;
		const start = this.skipBlanks(from, limit);
		let pos = start;
		while (pos < limit && bytes[pos]! >= zero && bytes[pos]! <= nine) {
			pos++;
		}

		if (pos === start) {
			appendTimestamp(this.lines, null);
			return this.endOfLine(pos, limit);
		}

		if (pos - start > longestTimestamp) {
			return declined;
		}

		appendTimestamp(this.lines, Number(this.latin1.slice(start, pos)));
		return this.endOfLine(this.skipBlanks(pos, limit), limit);
	}
}

/**
The NDJSON lines of a text-format page of the plain shape, as `samplesOf` writes them; undefined when the page is not
of that shape (or is not valid), for the full parser to decide. The page must be valid UTF-8.
*/
export function plainPageLines(
	bytes: Buffer,
	chunkSize?: number,
): Uint8Array[] | undefined {
	const scanner = new PlainPageScanner(bytes, chunkSize);
	return scanner.run() ? scanner.lines.finish() : undefined;
}
