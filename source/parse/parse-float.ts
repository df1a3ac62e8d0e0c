/* eslint-disable unicorn/prefer-code-point -- only ASCII matters here, and charCodeAt is the fast path. */
/**
Float syntax of Prometheus' scrape parsers: Go's `strconv.ParseFloat` minus the Go 1.13 additions (`p` exponents, `_`
separators), so hex floats are never accepted. NaN and Inf are case-insensitive (prom-client writes `Nan`); a sign is
allowed on Inf but not on NaN. A decimal that overflows float64 is an error in Go (ErrRange), so it is one here too.
*/

const powersOfTen = [
	1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
	1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

const plus = 43;
const minus = 45;
const dot = 46;
const zero = 48;
const nine = 57;

/** `text[start..end)` lower-cased equals `word` (ASCII only). */
function equalsIgnoreCase(
	text: string,
	start: number,
	end: number,
	word: string,
): boolean {
	if (end - start !== word.length) {
		return false;
	}

	for (let i = 0; i < word.length; i++) {
		// `| 0x20` maps ASCII upper case to lower case; `word` is lower case letters only.
		if ((text.charCodeAt(start + i) | 0x20) !== word.charCodeAt(i)) {
			return false;
		}
	}

	return true;
}

/** Where `parseDecimalPrefix` stopped; a caller-owned object, so that the per-sample call allocates nothing. */
export type DecimalEnd = {end: number};

/**
Parses the longest decimal `[sign] digits [. digits] [e [sign] digits]` at `start`, stopping before `end` or the first
character that cannot continue it, and stores where it stopped in `stopped.end`. Returns undefined when no decimal
starts there or it is cut short (`1e`, `.`), or it overflows. The sample scanner calls this first, so a plain value is
read in one pass; `parseFloatRange` calls it too, so both give the same number for the same characters.
*/
export function parseDecimalPrefix(
	text: string,
	start: number,
	end: number,
	stopped: DecimalEnd,
): number | undefined {
	let i = start;
	let sign = 1;
	let c = i < end ? text.charCodeAt(i) : -1;
	if (c === plus || c === minus) {
		if (c === minus) {
			sign = -1;
		}

		i++;
		c = i < end ? text.charCodeAt(i) : -1;
	}

	let mantissa = 0;
	let mantissaDigits = 0;
	let fractionDigits = 0;
	let digits = 0;
	while (i < end) {
		c = text.charCodeAt(i);
		if (c < zero || c > nine) {
			break;
		}

		digits++;
		if (mantissa !== 0 || c !== zero) {
			mantissaDigits++;
		}

		mantissa = mantissa * 10 + (c - zero);
		i++;
	}

	if (i < end && c === dot) {
		i++;
		while (i < end) {
			c = text.charCodeAt(i);
			if (c < zero || c > nine) {
				break;
			}

			digits++;
			fractionDigits++;
			if (mantissa !== 0 || c !== zero) {
				mantissaDigits++;
			}

			mantissa = mantissa * 10 + (c - zero);
			i++;
		}
	}

	if (digits === 0) {
		return undefined;
	}

	let exponent = 0;
	if (i < end && (c | 0x20) === 0x65 /* e */) {
		i++;
		c = i < end ? text.charCodeAt(i) : -1;
		let exponentSign = 1;
		if (c === plus || c === minus) {
			exponentSign = c === minus ? -1 : 1;
			i++;
		}

		const exponentStart = i;
		while (i < end) {
			c = text.charCodeAt(i);
			if (c < zero || c > nine) {
				break;
			}

			// Clamp: beyond this the result is 0 or Infinity anyway, and the fallback below decides which.
			if (exponent < 100_000) {
				exponent = exponent * 10 + (c - zero);
			}

			i++;
		}

		if (i === exponentStart) {
			return undefined;
		}

		exponent *= exponentSign;
	}

	stopped.end = i;
	// Exact fast path: an integer mantissa below 2^53 scaled by an exactly representable power of ten is one
	// correctly rounded operation, the same result as a full decimal conversion.
	const scale = exponent - fractionDigits;
	if (mantissaDigits <= 15 && scale >= -22 && scale <= 22) {
		const power = powersOfTen[scale < 0 ? -scale : scale]!;
		return sign * (scale < 0 ? mantissa / power : mantissa * power);
	}

	const value = Number(text.slice(start, i));
	return Number.isFinite(value) ? value : undefined;
}

const wholeRange: DecimalEnd = {end: 0};

/**
Parses `text[start..end)` as a Prometheus float. Returns undefined when Prometheus would reject it.
Works on a range so that the scanner does not have to slice the common short values.
*/
export function parseFloatRange(
	text: string,
	start: number,
	end: number,
): number | undefined {
	if (start >= end) {
		return undefined;
	}

	let i = start;
	let c = text.charCodeAt(i);
	const signed = c === plus || c === minus;
	if (signed) {
		i++;
		if (i >= end) {
			return undefined;
		}

		c = text.charCodeAt(i);
	}

	// Letters can only start "inf", "infinity" or "nan".
	const lower = c | 0x20;
	if (lower === 0x69 /* i */) {
		return equalsIgnoreCase(text, i, end, 'inf') ||
			equalsIgnoreCase(text, i, end, 'infinity')
			? (text.charCodeAt(start) === minus ? -1 : 1) * Number.POSITIVE_INFINITY
			: undefined;
	}

	if (lower === 0x6e /* n */) {
		return !signed && equalsIgnoreCase(text, i, end, 'nan')
			? Number.NaN
			: undefined;
	}

	const value = parseDecimalPrefix(text, start, end, wholeRange);
	return value !== undefined && wholeRange.end === end ? value : undefined;
}

/** Parses a whole string as a Prometheus float; undefined when Prometheus would reject it. */
export function parseFloatValue(text: string): number | undefined {
	return parseFloatRange(text, 0, text.length);
}
