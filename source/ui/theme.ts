/**
Semantic colours in one place. Components ask for a tone, never a colour, so a palette change is one edit and
colour-blind or NO_COLOR users still get the same words and glyphs.
*/
import asciichart from 'asciichart';
import type {ForegroundColorName} from 'chalk';
import type {Severity} from '../alerts/alert.js';

export type Tone = 'ok' | 'warn' | 'crit' | 'info' | 'dim' | 'first' | 'second';

/** ink `color` names per tone; `first`/`second` tell two series in one chart apart. */
export const theme: Readonly<Record<Tone, ForegroundColorName>> = {
	ok: 'green',
	warn: 'yellow',
	crit: 'red',
	info: 'cyan',
	dim: 'gray',
	first: 'cyan',
	second: 'magenta',
};

/** The same tones as raw escapes for asciichart, which colours by itself. */
export const chartColors: Readonly<Record<Tone, string>> = {
	ok: asciichart.green,
	warn: asciichart.yellow,
	crit: asciichart.red,
	info: asciichart.cyan,
	dim: asciichart.darkgray,
	first: asciichart.cyan,
	second: asciichart.magenta,
};

export function severityTone(severity: Severity): Tone {
	switch (severity) {
		case 'crit': {
			return 'crit';
		}

		case 'warn': {
			return 'warn';
		}

		case 'info': {
			return 'info';
		}
	}
}

/** KV-cache usage in a table cell: red from the 90 % of the pressure alert, yellow from 75 %. */
export function kvUsageTone(usage: number | null): Tone | undefined {
	if (usage === null) {
		return undefined;
	}

	if (usage >= 0.9) {
		return 'crit';
	}

	return usage >= 0.75 ? 'warn' : undefined;
}
