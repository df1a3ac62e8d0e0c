/* eslint-disable unicorn/prefer-code-point -- the scanner works on UTF-16 code units on purpose: every syntax character is ASCII, and charCodeAt is the fast path. */
import type {
	ExpositionFormat,
	Family,
	Labels,
	MetricType,
	Page,
	ParseResult,
	Sample,
} from './page.js';
import {parseDecimalPrefix, parseFloatRange} from './parse-float.js';

/*
One pass over the page with a hand-written scanner on char codes. The accepted language is that of Prometheus' scrape
parsers (model/textparse promlex.l + promparse.go for the text format, openmetricslex.l + openmetricsparse.go for
OpenMetrics) plus the scrape loop's own checks (duplicate or empty label names). Where a rule below looks odd, it is
because Prometheus behaves that way.
*/

const tab = 9;
const newline = 10;
const space = 32;
const quote = 34;
const hash = 35;
const comma = 44;
const equals = 61;
const backslash = 92;
const braceOpen = 123;
const braceClose = 125;
const zero = 48;
const nine = 57;

const nameStartFlag = 1;
const nameFlag = 2;
const labelStartFlag = 4;
const labelFlag = 8;

/** Character classes of the lexers: metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*`. */
const charClass = (() => {
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

function hasClass(c: number, flag: number): boolean {
	return c < 128 && (charClass[c]! & flag) !== 0;
}

const textTypes = new Map<string, MetricType>([
	['counter', 'counter'],
	['gauge', 'gauge'],
	['histogram', 'histogram'],
	['summary', 'summary'],
	['untyped', 'untyped'],
]);

const openMetricsTypes = new Map<string, MetricType>([
	['counter', 'counter'],
	['gauge', 'gauge'],
	['histogram', 'histogram'],
	['gaugehistogram', 'gaugehistogram'],
	['summary', 'summary'],
	['info', 'info'],
	['stateset', 'stateset'],
	['unknown', 'unknown'],
]);

/** Sample-name suffixes that belong to a family of the given type (`x_bucket` belongs to histogram `x`). */
const familySuffixes: ReadonlyArray<
	readonly [suffix: string, types: readonly MetricType[]]
> = [
	['_bucket', ['histogram', 'gaugehistogram']],
	['_count', ['histogram', 'summary']],
	['_sum', ['histogram', 'summary']],
	['_created', ['counter', 'histogram', 'summary']],
	['_total', ['counter']],
	['_gcount', ['gaugehistogram']],
	['_gsum', ['gaugehistogram']],
	['_info', ['info']],
];

type FamilyBuilder = {
	name: string;
	type: MetricType;
	help: string | undefined;
	unit: string | undefined;
	samples: Sample[];
	/** A `# TYPE` line was seen; families made up from HELP/UNIT or a bare sample are not typed. */
	typed: boolean;
};

/** A sample name with the family and `byName` list its samples go to. */
type SampleRoute = {
	readonly name: string;
	readonly family: FamilyBuilder;
	readonly list: Sample[];
};

/** Enough for a histogram's `_bucket`, `_count`, `_sum` and `_created`, or a summary's quantiles, count and sum. */
const recentRouteCount = 4;

type KnownLabelSet = {
	/** The page text between the braces, up to the first `}`. */
	readonly raw: string;
	readonly labels: Labels;
	/** The set that came after this one the last time, and a different one before that. */
	next: KnownLabelSet | undefined;
	nextButOne: KnownLabelSet | undefined;
};

/** Far above real label sets (a vLLM one is under 100 characters), far below V8's 16383-character hashing limit. */
const longestKnownLabelSet = 1024;

/** Shared by every sample without labels; nobody writes to labels. */
const noLabels: Labels = Object.freeze({});

class ParseFailure extends Error {
	readonly reason: string;
	readonly line: number;

	constructor(reason: string, line: number) {
		super(reason);
		this.reason = reason;
		this.line = line;
	}
}

/** A short, single-line rendering of offending input for error messages. */
function quoted(text: string): string {
	const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
	return JSON.stringify(short);
}

/** Label-value escaping shared by both formats: `\\`, `\"` and `\n`; any other escaped character is kept as written. */
function unescapeRange(
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

function setLabel(
	labels: Record<string, string>,
	key: string,
	value: string,
): void {
	if (key === '__proto__') {
		Object.defineProperty(labels, key, {
			value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
	} else {
		labels[key] = value;
	}
}

class ExpositionScanner {
	private pos = 0;
	private line = 1;
	private sawEof = false;
	private readonly end: number;
	private readonly openMetrics: boolean;
	private readonly samples: Sample[] = [];
	private readonly families = new Map<string, FamilyBuilder>();
	private readonly byName = new Map<string, Sample[]>();
	private readonly resolved = new Map<string, FamilyBuilder>();
	/** Where the previous sample went: consecutive samples usually share their name. */
	private lastRoute: SampleRoute | undefined;
	/** The last few sample names read from the page: a histogram cycles through `_bucket`, `_count` and `_sum`. */
	private readonly recentRoutes: SampleRoute[] = [];
	private nextRecentRoute = 0;
	/** The name of the last HELP or TYPE line, which the next one usually repeats. */
	private lastMetadataName = '';
	/**
	Where the next newline and backslash are, found by native `indexOf` and refreshed only once passed: label values
	are then found with one `indexOf('"')` instead of a loop over their characters.
	*/
	private nextNewline = -1;
	/** Label names at each position of the previous label set. */
	private readonly keyCache: string[] = [];
	/** Where each cached label name sits in the page. */
	private readonly keyCacheStart: number[] = [];
	private nextBackslash = -1;
	/** Label sets read so far on this page, by their text between the braces. */
	private readonly labelSets = new Map<string, KnownLabelSet>();
	/** The label set of the previous sample when it is a known one. */
	private lastLabelSet: KnownLabelSet | undefined;
	/** Where the last plain decimal value ended. */
	private readonly decimalEnd = {end: 0};
	/** Label names of the sample being read, for the duplicate check. */
	private readonly keysInSet: string[] = [];
	/** Metric name given as a quoted string inside the braces (`{"my.metric", a="b"}`). */
	private nameInBraces: string | undefined;
	private readonly text: string;

	constructor(text: string, format: ExpositionFormat) {
		this.text = text;
		this.end = text.length;
		this.openMetrics = format === 'openmetrics';
	}

	parse(): Page {
		const {text, end} = this;
		while (this.pos < end) {
			if (this.openMetrics) {
				const c = text.charCodeAt(this.pos);
				if (c === hash) {
					this.openMetricsComment();
				} else if (hasClass(c, nameStartFlag) || c === braceOpen) {
					this.sampleLine();
				} else {
					this.fail(
						c === newline
							? 'empty line; OpenMetrics allows no blank lines'
							: `unexpected ${this.describeChar(this.pos)} at start of line; expected a metric name, "{" or "# "`,
					);
				}

				continue;
			}

			let c = text.charCodeAt(this.pos);
			if (c === space || c === tab) {
				this.skipBlanks();
				if (this.pos >= end) {
					break;
				}

				c = text.charCodeAt(this.pos);
			}

			if (c === 0) {
				// Prometheus' text lexer treats a NUL at the start of a line as the end of the page.
				break;
			}

			switch (c) {
				case newline: {
					this.pos++;
					this.line++;
					break;
				}

				case hash: {
					this.textComment();
					break;
				}

				default: {
					if (!hasClass(c, nameStartFlag) && c !== braceOpen) {
						this.fail(
							`unexpected ${this.describeChar(this.pos)} at start of line; expected a metric name, "{" or "#"`,
						);
					}

					this.sampleLine();
				}
			}
		}

		if (this.openMetrics && !this.sawEof) {
			const lastLine =
				end > 0 && text.charCodeAt(end - 1) === newline
					? this.line - 1
					: this.line;
			throw new ParseFailure(
				'OpenMetrics page does not end with "# EOF"; the page is truncated or not OpenMetrics (try --format text)',
				Math.max(1, lastLine),
			);
		}

		const families = new Map<string, Family>();
		for (const [name, builder] of this.families) {
			families.set(name, {
				name: builder.name,
				type: builder.type,
				help: builder.help,
				unit: builder.unit,
				samples: builder.samples,
			});
		}

		return {samples: this.samples, families, byName: this.byName};
	}

	private fail(reason: string, line = this.line): never {
		throw new ParseFailure(reason, line);
	}

	private describeChar(at: number): string {
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
	private skipBlanks(): void {
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

	private startsWithAt(word: string): boolean {
		return this.text.startsWith(word, this.pos);
	}

	private lineEnd(from: number): number {
		const index = this.text.indexOf('\n', from);
		return index === -1 ? this.end : index;
	}

	/** Consumes the newline at `pos`, if any. */
	private endLine(): void {
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
	private nameIsAt(name: string, start: number): boolean {
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
	private scanMetricName(known: string): string {
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
		return text.slice(start, pos);
	}

	/** The route of a recent sample whose name is at `pos`, past that name; undefined when none matches. */
	private recentRouteAt(): SampleRoute | undefined {
		const start = this.pos;
		const last = this.lastRoute;
		if (last !== undefined && this.nameIsAt(last.name, start)) {
			this.pos = start + last.name.length;
			return last;
		}

		for (const route of this.recentRoutes) {
			if (route !== last && this.nameIsAt(route.name, start)) {
				this.pos = start + route.name.length;
				return route;
			}
		}

		return undefined;
	}

	/**
	Reads a double-quoted string at `pos` and returns it unescaped. The text format lets label values, quoted names and
	HELP names span lines; OpenMetrics label values and all exemplar strings may not. A backslash before a newline
	matches no token in either lexer.
	*/
	private readQuoted(
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
			: text.slice(start, pos);
	}

	/** A label value at `pos` (the opening quote); values without escapes or newlines take the fast path. */
	private readLabelValue(allowNewline: boolean, key: string): string {
		const {text, end} = this;
		const open = this.pos;
		const close = text.indexOf('"', open + 1);
		if (close !== -1) {
			if (this.nextNewline < open) {
				const index = text.indexOf('\n', open);
				this.nextNewline = index === -1 ? end : index;
			}

			if (this.nextBackslash < open) {
				const index = text.indexOf('\\', open);
				this.nextBackslash = index === -1 ? end : index;
			}

			if (close < this.nextNewline && close < this.nextBackslash) {
				this.pos = close + 1;
				return text.slice(open + 1, close);
			}
		}

		return this.readQuoted(allowNewline, key);
	}

	/** Few labels: a linear scan beats a property lookup; many labels (hostile input): the lookup, to stay linear. */
	private isDuplicateKey(
		labels: Record<string, string>,
		key: string,
		count: number,
	): boolean {
		if (count > 16) {
			return Object.hasOwn(labels, key);
		}

		const keys = this.keysInSet;
		for (let i = 0; i < count; i++) {
			if (keys[i] === key) {
				return true;
			}
		}

		return false;
	}

	private textComment(): void {
		const {text} = this;
		this.pos++;
		const c = text.charCodeAt(this.pos);
		if (c === space || c === tab) {
			this.skipBlanks();
			const isHelp = this.startsWithAt('HELP');
			if (isHelp || this.startsWithAt('TYPE')) {
				const after = text.charCodeAt(this.pos + 4);
				if (after === space || after === tab) {
					this.pos += 4;
					this.skipBlanks();
					this.textMetadata(isHelp ? 'HELP' : 'TYPE');
					return;
				}
			}
		}

		// Any other comment runs to the end of the line.
		this.pos = this.lineEnd(this.pos);
		this.endLine();
	}

	private metadataName(keyword: string): string {
		const c = this.text.charCodeAt(this.pos);
		if (hasClass(c, nameStartFlag)) {
			this.lastMetadataName = this.scanMetricName(this.lastMetadataName);
			return this.lastMetadataName;
		}

		if (c === quote) {
			return this.readQuoted(!this.openMetrics, undefined);
		}

		return this.fail(
			`expected a metric name after # ${keyword}, found ${this.describeChar(this.pos)}`,
		);
	}

	private textMetadata(keyword: 'HELP' | 'TYPE'): void {
		const {text} = this;
		const {line} = this;
		const name = this.metadataName(keyword);
		const lineEnd = this.lineEnd(this.pos);
		// The lexer takes the rest of the line as one token and drops its first character (the separator); a rest that is
		// only blanks is skipped as whitespace instead.
		let textStart = lineEnd;
		for (let i = this.pos; i < lineEnd; i++) {
			const c = text.charCodeAt(i);
			if (c !== space && c !== tab) {
				textStart = this.pos + 1;
				break;
			}
		}

		const value = textStart >= lineEnd ? '' : text.slice(textStart, lineEnd);
		this.pos = lineEnd;
		if (keyword === 'TYPE') {
			const type = textTypes.get(value);
			if (type === undefined) {
				this.fail(
					`invalid metric type ${quoted(value)} for ${quoted(name)}; expected counter, gauge, histogram, summary or untyped`,
					line,
				);
			}

			this.declareType(name, type);
		} else {
			this.declareHelp(
				name,
				value.includes('\\')
					? unescapeRange(value, 0, value.length, false)
					: value,
			);
		}

		this.endLine();
	}

	private openMetricsComment(): void {
		const {text} = this;
		if (text.charCodeAt(this.pos + 1) !== space) {
			this.fail(
				'OpenMetrics allows no comments; "#" must start "# HELP", "# TYPE", "# UNIT" or "# EOF"',
			);
		}

		this.pos += 2;
		if (this.startsWithAt('EOF')) {
			this.pos += 3;
			if (this.pos < this.end && text.charCodeAt(this.pos) === newline) {
				this.endLine();
			}

			if (this.pos < this.end) {
				this.fail(
					'unexpected data after "# EOF"; nothing may follow it in OpenMetrics',
				);
			}

			this.sawEof = true;
			return;
		}

		let keyword: 'HELP' | 'TYPE' | 'UNIT';
		if (this.startsWithAt('HELP ')) {
			keyword = 'HELP';
		} else if (this.startsWithAt('TYPE ')) {
			keyword = 'TYPE';
		} else if (this.startsWithAt('UNIT ')) {
			keyword = 'UNIT';
		} else {
			this.fail(
				'OpenMetrics allows no comments; "#" must start "# HELP", "# TYPE", "# UNIT" or "# EOF"',
			);
		}

		this.pos += 5;
		const {line} = this;
		const name = this.metadataName(keyword);
		const newlineAt = text.indexOf('\n', this.pos);
		if (text.charCodeAt(this.pos) !== space || newlineAt === -1) {
			this.fail(
				`expected a space and text after the metric name in # ${keyword}`,
			);
		}

		const value = text.slice(this.pos + 1, newlineAt);
		this.pos = newlineAt;
		if (keyword === 'TYPE') {
			const type = openMetricsTypes.get(value);
			if (type === undefined) {
				this.fail(
					`invalid metric type ${quoted(value)} for ${quoted(name)}; expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown`,
					line,
				);
			}

			this.declareType(name, type);
		} else if (keyword === 'HELP') {
			this.declareHelp(
				name,
				value.includes('\\')
					? unescapeRange(value, 0, value.length, true)
					: value,
			);
		} else {
			if (
				value.length > 0 &&
				(name.length < value.length + 1 ||
					!name.endsWith(value) ||
					name.charCodeAt(name.length - value.length - 1) !== 95)
			) {
				this.fail(
					`unit ${quoted(value)} is not a suffix of metric ${quoted(name)}`,
					line,
				);
			}

			this.familyFor(name).unit = value;
		}

		this.endLine();
	}

	private familyFor(name: string): FamilyBuilder {
		let family = this.families.get(name);
		if (family === undefined) {
			family = {
				name,
				type: 'untyped',
				help: undefined,
				unit: undefined,
				samples: [],
				typed: false,
			};
			this.families.set(name, family);
		}

		return family;
	}

	/** Moves past one OpenMetrics token: up to the next space or the end of the line. */
	private skipToken(): void {
		const {text, end} = this;
		while (this.pos < end) {
			const c = text.charCodeAt(this.pos);
			if (c === space || c === newline) {
				return;
			}

			this.pos++;
		}
	}

	private declareType(name: string, type: MetricType): void {
		// Prometheus' scrape parsers take a repeated TYPE line; the later one holds.
		const family = this.familyFor(name);
		family.type = type;
		family.typed = true;
		// Sample names may now resolve to this family instead of an untyped one.
		this.resolved.clear();
		this.lastRoute = undefined;
		this.recentRoutes.length = 0;
		this.nextRecentRoute = 0;
	}

	private declareHelp(name: string, help: string): void {
		const family = this.familyFor(name);
		family.help ??= help;
	}

	/** Typed family by exact name, then typed family by name minus a suffix its type allows, else an untyped family. */
	private resolveFamily(name: string): FamilyBuilder {
		const cached = this.resolved.get(name);
		if (cached !== undefined) {
			return cached;
		}

		const exact = this.families.get(name);
		let family = exact?.typed ? exact : undefined;
		if (family === undefined) {
			for (const [suffix, types] of familySuffixes) {
				if (name.length > suffix.length && name.endsWith(suffix)) {
					const base = this.families.get(name.slice(0, -suffix.length));
					if (base?.typed && types.includes(base.type)) {
						family = base;
						break;
					}
				}
			}
		}

		family ??= exact ?? this.familyFor(name);
		this.resolved.set(name, family);
		return family;
	}

	private sampleLine(): void {
		const {text, end, openMetrics} = this;
		let name: string | undefined;
		let labels: Labels = noLabels;
		this.nameInBraces = undefined;
		const lineStart = this.pos;
		let nameEnd = -1;
		let route: SampleRoute | undefined;

		if (text.charCodeAt(this.pos) === braceOpen) {
			this.pos++;
			labels = {};
			this.labelSet(labels, false, false);
		} else {
			route = this.recentRouteAt();
			name = route?.name ?? this.scanMetricName(this.lastMetadataName);
			nameEnd = this.pos;
			if (!openMetrics) {
				this.skipBlanks();
			}

			if (this.pos < end && text.charCodeAt(this.pos) === braceOpen) {
				this.pos++;
				labels = this.namedLabelSet();
			}
		}

		name ??= this.nameInBraces;
		if (name === undefined) {
			this.fail(
				'metric name not set: a line starting with "{" must name the metric as a quoted string inside the braces',
			);
		}

		if (name.length === 0) {
			this.fail('invalid metric name: the empty string');
		}

		// Value.
		if (openMetrics) {
			if (this.pos >= end || text.charCodeAt(this.pos) !== space) {
				this.fail(
					`expected a single space and a value after ${quoted(name)}, found ${this.describeChar(this.pos)}`,
				);
			}

			this.pos++;
		} else {
			this.skipBlanks();
		}

		const valueStart = this.pos;
		// Plain decimals (nearly every value) are read in the same pass that finds their end; anything else, and a
		// decimal run into other characters (`0x10`, `1.5s`), takes the general path.
		let value = parseDecimalPrefix(text, valueStart, end, this.decimalEnd);
		if (value !== undefined) {
			const after = this.decimalEnd.end;
			const c = after < end ? text.charCodeAt(after) : newline;
			if (c === space || c === newline || (c === tab && !openMetrics)) {
				this.pos = after;
			} else {
				value = undefined;
			}
		}

		value ??= this.generalValue(name, valueStart, nameEnd, lineStart);

		// Timestamp, exemplar, end of line.
		let timestampMs: number | null = null;
		if (openMetrics) {
			timestampMs = this.openMetricsSuffix();
		} else {
			this.skipBlanks();
			if (this.pos < end && text.charCodeAt(this.pos) !== newline) {
				const c = text.charCodeAt(this.pos);
				if (c < zero || c > nine) {
					this.fail(
						`unexpected ${this.describeChar(this.pos)} after the value of ${quoted(name)}; expected an integer millisecond timestamp or end of line`,
					);
				}

				const start = this.pos;
				while (this.pos < end) {
					const d = text.charCodeAt(this.pos);
					if (d < zero || d > nine) {
						break;
					}

					this.pos++;
				}

				timestampMs = this.integerTimestamp(start, this.pos);
				this.skipBlanks();
				if (this.pos < end && text.charCodeAt(this.pos) !== newline) {
					this.fail(
						`unexpected ${this.describeChar(this.pos)} after the timestamp; expected end of line`,
					);
				}
			}

			this.endLine();
		}

		const sample: Sample = {name, labels, value, timestampMs};
		this.samples.push(sample);
		if (route === undefined) {
			route = this.routeFor(name);
			// Only names read from the page are compared with the page; a quoted name may hold any character.
			if (nameEnd !== -1) {
				this.recentRoutes[this.nextRecentRoute] = route;
				this.nextRecentRoute = (this.nextRecentRoute + 1) % recentRouteCount;
			}
		}

		route.family.samples.push(sample);
		route.list.push(sample);
		this.lastRoute = nameEnd === -1 ? undefined : route;
	}

	private routeFor(name: string): SampleRoute {
		const family = this.resolveFamily(name);
		let list = this.byName.get(name);
		if (list === undefined) {
			list = [];
			this.byName.set(name, list);
		}

		return {name, family, list};
	}

	/**
	The label set after a metric name. A page repeats each label set across many metrics (every histogram of a series
	carries the same model and engine), so a set whose text was read before on this page shares that set's object
	instead of scanning keys, slicing values and building an object again. The text up to the first `}` identifies the
	set because the scan is deterministic: if that text once ended a valid set, it does again. Sets with a newline inside
	are scanned every time, as they move the line count, and so are very long ones: V8 hashes a long string by its length
	alone, so a page of many long sets of one length would make the map quadratic.
	*/
	/** `known` when its text, then `}`, is at `open`. */
	private knownLabelSetAt(
		known: KnownLabelSet | undefined,
		open: number,
	): KnownLabelSet | undefined {
		if (known === undefined) {
			return undefined;
		}

		const close = open + known.raw.length;
		return this.text.charCodeAt(close) === braceClose &&
			this.text.slice(open, close) === known.raw
			? known
			: undefined;
	}

	private namedLabelSet(): Labels {
		const {text, end} = this;
		const open = this.pos;
		// The set that followed the previous one last time usually follows it again, or the one before that, or the same set
		// repeats (`_count` then `_sum`): a compare of two page slices or three is cheaper than hashing the text for the map.
		const previous = this.lastLabelSet;
		if (previous !== undefined) {
			const predicted =
				this.knownLabelSetAt(previous.next, open) ??
				this.knownLabelSetAt(previous.nextButOne, open) ??
				this.knownLabelSetAt(previous, open);
			if (predicted !== undefined) {
				if (predicted !== previous.next && predicted !== previous) {
					previous.nextButOne = previous.next;
					previous.next = predicted;
				}

				this.pos = open + predicted.raw.length + 1;
				this.lastLabelSet = predicted;
				return predicted.labels;
			}
		}

		const close = text.indexOf('}', open);
		if (this.nextNewline < open) {
			const index = text.indexOf('\n', open);
			this.nextNewline = index === -1 ? end : index;
		}

		this.lastLabelSet = undefined;
		if (
			close === -1 ||
			close > this.nextNewline ||
			close - open > longestKnownLabelSet
		) {
			const labels: Record<string, string> = {};
			this.labelSet(labels, false, true);
			return labels;
		}

		const raw = text.slice(open, close);
		let known = this.labelSets.get(raw);
		if (known === undefined) {
			const labels: Record<string, string> = {};
			this.labelSet(labels, false, true);
			if (this.pos !== close + 1) {
				return labels;
			}

			known = {raw, labels, next: undefined, nextButOne: undefined};
			this.labelSets.set(raw, known);
		} else {
			this.pos = close + 1;
		}

		if (previous !== undefined && previous.next !== known) {
			previous.nextButOne = previous.next;
			previous.next = known;
		}

		this.lastLabelSet = known;
		return known.labels;
	}

	/** A value that is not a plain decimal: finds where it ends, then checks and parses it. */
	private generalValue(
		name: string,
		valueStart: number,
		nameEnd: number,
		lineStart: number,
	): number {
		const {text, end} = this;
		if (this.openMetrics) {
			this.skipToken();
		} else {
			let pos = valueStart;
			while (pos < end) {
				const c = text.charCodeAt(pos);
				if (c === space || c === tab || c === newline || c === braceOpen) {
					break;
				}

				pos++;
			}

			this.pos = pos;
		}

		if (this.pos === valueStart) {
			this.fail(
				`missing value for ${quoted(name)}: found ${this.describeChar(this.pos)}`,
			);
		}

		if (
			!this.openMetrics &&
			valueStart === nameEnd &&
			parseFloatRange(text, valueStart, this.pos) === undefined
		) {
			this.fail(
				`invalid metric name ${quoted(text.slice(lineStart, this.pos))}: ${this.describeChar(valueStart)} is not allowed in a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)`,
			);
		}

		return this.floatAt(valueStart, this.pos, 'value');
	}

	/** After an OpenMetrics value: optional ` timestamp`, optional ` # {exemplar} value [timestamp]`, then a newline. */
	private openMetricsSuffix(): number | null {
		const {text, end} = this;
		let timestampMs: number | null = null;
		if (
			this.pos < end &&
			text.charCodeAt(this.pos) === space &&
			!this.atExemplar()
		) {
			this.pos++;
			const start = this.pos;
			this.skipToken();

			if (this.pos === start) {
				this.fail(
					'unexpected space after the value; OpenMetrics separates tokens by exactly one space',
				);
			}

			timestampMs = this.secondsTimestamp(start, this.pos, 'timestamp');
		}

		if (this.pos < end && this.atExemplar()) {
			this.exemplar();
			return timestampMs;
		}

		this.expectOpenMetricsNewline();
		return timestampMs;
	}

	private atExemplar(): boolean {
		return this.startsWithAt(' # {');
	}

	private expectOpenMetricsNewline(): void {
		if (this.pos >= this.end) {
			this.fail(
				'OpenMetrics page does not end with "# EOF"; the page is truncated or not OpenMetrics (try --format text)',
			);
		}

		if (this.text.charCodeAt(this.pos) !== newline) {
			this.fail(
				`unexpected ${this.describeChar(this.pos)}; expected end of line`,
			);
		}

		this.endLine();
	}

	/** Exemplars are checked for syntax and dropped: nothing downstream uses them. */
	private exemplar(): void {
		const {text, end} = this;
		this.pos += 4;
		this.labelSet(undefined, true, true);
		if (this.pos >= end || text.charCodeAt(this.pos) !== space) {
			this.fail(
				`expected a space and a value after the exemplar labels, found ${this.describeChar(this.pos)}`,
			);
		}

		this.pos++;
		const start = this.pos;
		this.skipToken();

		if (this.pos === start) {
			this.fail('missing exemplar value');
		}

		this.floatAt(start, this.pos, 'exemplar value');
		if (this.pos < end && text.charCodeAt(this.pos) === space) {
			this.pos++;
			const tsStart = this.pos;
			this.skipToken();

			if (this.pos === tsStart) {
				this.fail(
					'unexpected space after the exemplar value; OpenMetrics separates tokens by exactly one space',
				);
			}

			this.secondsTimestamp(tsStart, this.pos, 'exemplar timestamp');
			if (this.pos >= end || text.charCodeAt(this.pos) !== newline) {
				this.fail(
					`unexpected ${this.describeChar(this.pos)} after the exemplar timestamp; expected end of line`,
				);
			}
		}

		this.expectOpenMetricsNewline();
	}

	private floatAt(start: number, stop: number, what: string): number {
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
	private integerTimestamp(start: number, stop: number): number {
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
	private secondsTimestamp(start: number, stop: number, what: string): number {
		const seconds = this.floatAt(start, stop, what);
		if (!Number.isFinite(seconds)) {
			this.fail(
				`invalid ${what} ${quoted(this.text.slice(start, stop))}: must be a finite number of seconds`,
			);
		}

		return Math.trunc(seconds * 1000) + 0;
	}

	/**
	Reads labels after `{` up to and including `}`. `labels` is undefined for exemplars, whose labels are only checked.
	A quoted string followed by `,` or `}` is the metric name (Prometheus 3 UTF-8 names); exemplars may not hold one.
	*/
	private labelSet(
		labels: Record<string, string> | undefined,
		exemplar: boolean,
		haveName: boolean,
	): void {
		const {text, end, openMetrics} = this;
		const blanks = !openMetrics;
		const newlinesInValues = !openMetrics;
		let index = 0;
		for (;;) {
			if (blanks) {
				this.skipBlanks();
			}

			if (this.pos >= end) {
				this.fail('unterminated label set: no "}" before the end of the page');
			}

			let c = text.charCodeAt(this.pos);
			if (c === braceClose) {
				this.pos++;
				return;
			}

			let key: string;
			let isQuoted = false;
			if (hasClass(c, labelStartFlag)) {
				// As for metric names: reuse the key at this position of the previous label set when it is the same.
				const start = this.pos;
				const cached = this.keyCache[index] ?? '';
				const cachedLength = cached.length;
				const cachedStart = this.keyCacheStart[index] ?? 0;
				let k = 0;
				if (start + cachedLength <= end) {
					while (
						k < cachedLength &&
						text.charCodeAt(start + k) === text.charCodeAt(cachedStart + k)
					) {
						k++;
					}
				}

				if (
					k === cachedLength &&
					k > 0 &&
					(start + k >= end || !hasClass(text.charCodeAt(start + k), labelFlag))
				) {
					key = cached;
					this.pos = start + k;
				} else {
					let pos = start + 1;
					while (pos < end && hasClass(text.charCodeAt(pos), labelFlag)) {
						pos++;
					}

					this.pos = pos;
					key = text.slice(start, pos);
					if (index < 64) {
						this.keyCache[index] = key;
						this.keyCacheStart[index] = start;
					}
				}
			} else if (c === quote) {
				key = this.readQuoted(!exemplar, undefined);
				isQuoted = true;
			} else {
				this.fail(
					`expected a label name or "}", found ${this.describeChar(this.pos)}; label names match [a-zA-Z_][a-zA-Z0-9_]*`,
				);
			}

			if (blanks) {
				this.skipBlanks();
			}

			c = this.pos < end ? text.charCodeAt(this.pos) : -1;
			if (isQuoted && (c === comma || c === braceClose)) {
				if (exemplar) {
					this.fail(
						'exemplar labels cannot hold a metric name; expected label="value"',
					);
				}

				if (haveName || this.nameInBraces !== undefined) {
					this.fail(
						`metric name already set; ${quoted(key)} needs ="value" to be a label`,
					);
				}

				this.nameInBraces = key;
				this.pos++;
				if (c === braceClose) {
					return;
				}

				continue;
			}

			if (c !== equals) {
				this.fail(
					`expected "=" after label name ${quoted(key)}, found ${this.describeChar(this.pos)}`,
				);
			}

			if (key.length === 0) {
				this.fail('invalid label name: the empty string');
			}

			this.pos++;
			if (blanks) {
				this.skipBlanks();
			}

			if (this.pos >= end || text.charCodeAt(this.pos) !== quote) {
				this.fail(
					`expected a quoted value for label ${quoted(key)}, found ${this.describeChar(this.pos)}`,
				);
			}

			const value = this.readLabelValue(newlinesInValues && !exemplar, key);
			if (labels !== undefined) {
				if (key === '__name__' || this.isDuplicateKey(labels, key, index)) {
					this.fail(`duplicate label name ${quoted(key)} in one sample`);
				}

				setLabel(labels, key, value);
				this.keysInSet[index] = key;
				index++;
			}

			if (blanks) {
				this.skipBlanks();
			}

			c = this.pos < end ? text.charCodeAt(this.pos) : -1;
			if (c === comma) {
				this.pos++;
			} else if (openMetrics && c !== braceClose) {
				this.fail(
					`expected "," or "}" after the value of label ${quoted(key)}, found ${this.describeChar(this.pos)}`,
				);
			}
		}
	}
}

/**
Parses one `/metrics` page. Rejects exactly where Prometheus' scrape would, with the 1-based line and a one-line reason.
Never throws.
*/
export function parseExposition(
	text: string,
	format: ExpositionFormat,
): ParseResult {
	try {
		return {ok: true, page: new ExpositionScanner(text, format).parse()};
	} catch (error: unknown) {
		if (error instanceof ParseFailure) {
			return {ok: false, error: error.reason, line: error.line};
		}

		throw error;
	}
}
