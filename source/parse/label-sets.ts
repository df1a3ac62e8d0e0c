/* eslint-disable unicorn/prefer-code-point -- the scanner works on UTF-16 code units on purpose: every syntax character is ASCII, and charCodeAt is the fast path. */
/**
Label sets: reading `{name="value", ...}`, and interning the sets a page repeats so equal sets share one object.
*/
import type {Labels} from './page.js';
import {
	braceClose,
	comma,
	detached,
	equals,
	hasClass,
	labelFlag,
	labelStartFlag,
	quote,
	quoted,
	Scanner,
} from './scanner.js';

export type KnownLabelSet = {
	/** The page text between the braces, up to the first `}`. */
	readonly raw: string;
	readonly labels: Labels;
	/** The set that came after this one the last time, and a different one before that. */
	next: KnownLabelSet | undefined;
	nextButOne: KnownLabelSet | undefined;
};

/** Far above real label sets (a vLLM one is under 100 characters), far below V8's 16383-character hashing limit. */
export const longestKnownLabelSet = 1024;

/** Shared by every sample without labels; nobody writes to labels. */
export const noLabels: Labels = Object.freeze({});

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

export class LabelScanner extends Scanner {
	/** Label names at each position of the previous label set. */
	protected readonly keyCache: string[] = [];

	/** Where each cached label name sits in the page. */
	protected readonly keyCacheStart: number[] = [];

	/** Label sets read so far on this page, by their text between the braces. */
	protected readonly labelSets = new Map<string, KnownLabelSet>();

	/** The label set of the previous sample when it is a known one. */
	protected lastLabelSet: KnownLabelSet | undefined;

	/** Label names of the sample being read, for the duplicate check. */
	protected readonly keysInSet: string[] = [];

	/** Metric name given as a quoted string inside the braces (`{"my.metric", a="b"}`). */
	protected nameInBraces: string | undefined;

	/** A label value at `pos` (the opening quote); values without escapes or newlines take the fast path. */
	protected readLabelValue(allowNewline: boolean, key: string): string {
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
				return detached(text.slice(open + 1, close));
			}
		}

		return this.readQuoted(allowNewline, key);
	}

	/** Few labels: a linear scan beats a property lookup; many labels (hostile input): the lookup, to stay linear. */
	protected isDuplicateKey(
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

	/**
	The label set after a metric name. A page repeats each label set across many metrics (every histogram of a series
	carries the same model and engine), so a set whose text was read before on this page shares that set's object
	instead of scanning keys, slicing values and building an object again. The text up to the first `}` identifies the
	set because the scan is deterministic: if that text once ended a valid set, it does again. Sets with a newline inside
	are scanned every time, as they move the line count, and so are very long ones: V8 hashes a long string by its length
	alone, so a page of many long sets of one length would make the map quadratic.
	*/
	/** `known` when its text, then `}`, is at `open`. */
	protected knownLabelSetAt(
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

	protected namedLabelSet(): Labels {
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

	/**
	Reads labels after `{` up to and including `}`. `labels` is undefined for exemplars, whose labels are only checked.
	A quoted string followed by `,` or `}` is the metric name (Prometheus 3 UTF-8 names); exemplars may not hold one.
	*/
	protected labelSet(
		labels: Record<string, string> | undefined,
		exemplar: boolean,
		haveName: boolean,
	): void {
		const {text, end, openMetrics} = this;
		const blanks = !openMetrics;
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

			const isQuoted = c === quote;
			const key = this.labelName(c, index, exemplar);
			if (blanks) {
				this.skipBlanks();
			}

			c = this.pos < end ? text.charCodeAt(this.pos) : -1;
			if (isQuoted && (c === comma || c === braceClose)) {
				this.nameInSet(key, exemplar, haveName);
				if (c === braceClose) {
					return;
				}

				continue;
			}

			this.labelPair(labels, key, index, exemplar);
			if (labels !== undefined) {
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

	/** The label name at `pos` (its first character is `c`): a plain name, or a quoted one. */
	private labelName(c: number, index: number, exemplar: boolean): string {
		if (hasClass(c, labelStartFlag)) {
			return this.plainLabelName(index);
		}

		if (c === quote) {
			return this.readQuoted(!exemplar, undefined);
		}

		return this.fail(
			`expected a label name or "}", found ${this.describeChar(this.pos)}; label names match [a-zA-Z_][a-zA-Z0-9_]*`,
		);
	}

	/** As for metric names: the name at this position of the previous label set is reused when it is the same. */
	private plainLabelName(index: number): string {
		const {text, end} = this;
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
			this.pos = start + k;
			return cached;
		}

		let pos = start + 1;
		while (pos < end && hasClass(text.charCodeAt(pos), labelFlag)) {
			pos++;
		}

		this.pos = pos;
		const key = detached(text.slice(start, pos));
		if (index < 64) {
			this.keyCache[index] = key;
			this.keyCacheStart[index] = start;
		}

		return key;
	}

	/** A quoted string standing alone in the braces names the metric; `pos` is on the `,` or `}` after it. */
	private nameInSet(key: string, exemplar: boolean, haveName: boolean): void {
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
	}

	/** `="value"` after label name `key`, stored in `labels` (when given) as its `index`-th label. */
	private labelPair(
		labels: Record<string, string> | undefined,
		key: string,
		index: number,
		exemplar: boolean,
	): void {
		const {text, end, openMetrics} = this;
		if (this.pos >= end || text.charCodeAt(this.pos) !== equals) {
			this.fail(
				`expected "=" after label name ${quoted(key)}, found ${this.describeChar(this.pos)}`,
			);
		}

		if (key.length === 0) {
			this.fail('invalid label name: the empty string');
		}

		this.pos++;
		if (!openMetrics) {
			this.skipBlanks();
		}

		if (this.pos >= end || text.charCodeAt(this.pos) !== quote) {
			this.fail(
				`expected a quoted value for label ${quoted(key)}, found ${this.describeChar(this.pos)}`,
			);
		}

		const value = this.readLabelValue(!openMetrics && !exemplar, key);
		if (labels !== undefined) {
			if (key === '__name__' || this.isDuplicateKey(labels, key, index)) {
				this.fail(`duplicate label name ${quoted(key)} in one sample`);
			}

			setLabel(labels, key, value);
			this.keysInSet[index] = key;
		}
	}
}
