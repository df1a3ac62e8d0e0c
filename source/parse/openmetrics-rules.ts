/* eslint-disable unicorn/prefer-code-point -- the scanner works on UTF-16 code units on purpose: every syntax character is ASCII, and charCodeAt is the fast path. */
/**
Rules of OpenMetrics (model/textparse openmetricslex.l and openmetricsparse.go): HELP, TYPE, UNIT and EOF lines, single
spaces between tokens, float-second timestamps and exemplars, which are checked and dropped.
*/
import type {MetricType} from './page.js';
import {newline, quoted, space, unescapeRange} from './scanner.js';
import {TextRules} from './text-rules.js';

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

export class OpenMetricsRules extends TextRules {
	protected sawEof = false;

	protected openMetricsComment(): void {
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

	/** After an OpenMetrics value: optional ` timestamp`, optional ` # {exemplar} value [timestamp]`, then a newline. */
	protected openMetricsSuffix(): number | null {
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

	protected atExemplar(): boolean {
		return this.startsWithAt(' # {');
	}

	protected expectOpenMetricsNewline(): void {
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
	protected exemplar(): void {
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
}
