/* eslint-disable unicorn/prefer-code-point -- the scanner works on UTF-16 code units on purpose: every syntax character is ASCII, and charCodeAt is the fast path. */
/**
Rules of the Prometheus text format (model/textparse promlex.l and promparse.go): comments, HELP and TYPE lines, and
the integer millisecond timestamp after a value.
*/
import type {MetricType} from './page.js';
import {FamilyScanner} from './family-resolution.js';
import {
	hasClass,
	nameStartFlag,
	quote,
	quoted,
	space,
	tab,
	unescapeRange,
} from './scanner.js';

/** The words a text-format `# TYPE` line may end with. */
export const textTypes: ReadonlyMap<string, MetricType> = new Map<
	string,
	MetricType
>([
	['counter', 'counter'],
	['gauge', 'gauge'],
	['histogram', 'histogram'],
	['summary', 'summary'],
	['untyped', 'untyped'],
]);

export class TextRules extends FamilyScanner {
	protected textComment(): void {
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

	protected metadataName(keyword: string): string {
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

	protected textMetadata(keyword: 'HELP' | 'TYPE'): void {
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
}
