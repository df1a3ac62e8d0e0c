/* eslint-disable unicorn/prefer-code-point -- the scanner works on UTF-16 code units on purpose: every syntax character is ASCII, and charCodeAt is the fast path. */
import type {ExpositionFormat, Labels, Page, ParseResult} from './page.js';
import {parseDecimalPrefix, parseFloatRange} from './parse-float.js';
import {noLabels} from './label-sets.js';
import type {SampleRoute} from './family-resolution.js';
import {OpenMetricsRules} from './openmetrics-rules.js';
import {
	braceOpen,
	hasClass,
	nameStartFlag,
	newline,
	ParseFailure,
	quoted,
	space,
	tab,
	zero,
	nine,
	hash,
} from './scanner.js';

/*
One pass over the page with a hand-written scanner on char codes. The accepted language is that of Prometheus' scrape
parsers (model/textparse promlex.l + promparse.go for the text format, openmetricslex.l + openmetricsparse.go for
OpenMetrics) plus the scrape loop's own checks (duplicate or empty label names). Where a rule below looks odd, it is
because Prometheus behaves that way.
*/

export class ExpositionScanner extends OpenMetricsRules {
	/** Where the last plain decimal value ended. */
	protected readonly decimalEnd = {end: 0};

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

		return this.page();
	}

	protected sampleLine(): void {
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

		const value = this.sampleValue(name, nameEnd, lineStart);

		// Timestamp, exemplar, end of line.
		const timestampMs = openMetrics
			? this.openMetricsSuffix()
			: this.textTimestamp(name);
		this.addSample({name, labels, value, timestampMs}, route, nameEnd);
	}

	/** The value after the name and labels, and the separator before it. */
	protected sampleValue(
		name: string,
		nameEnd: number,
		lineStart: number,
	): number {
		const {text, end, openMetrics} = this;
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

		return value ?? this.generalValue(name, valueStart, nameEnd, lineStart);
	}

	/** The text format's optional integer millisecond timestamp after a value, then the end of the line. */
	protected textTimestamp(name: string): number | null {
		const {text, end} = this;
		let timestampMs: number | null = null;
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
		return timestampMs;
	}

	/** A value that is not a plain decimal: finds where it ends, then checks and parses it. */
	protected generalValue(
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
