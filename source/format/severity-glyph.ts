/**
Glyph and word for every alert severity, alert state and target status. State is carried by the glyph and the word,
so it survives NO_COLOR, monochrome terminals and screen readers; colour only repeats it. `--ascii` swaps the glyphs
for characters every terminal has.
*/
import chalk from 'chalk';
import type {Alert, Severity} from '../alerts/alert.js';
import type {Status} from '../derive/snapshot.js';

export type MarkKind =
	Severity | 'pending' | 'resolved' | 'ok' | 'down' | 'unknown';

/** Semantic tone; the UI maps it to a colour (see `toneColor`). */
export type Tone = 'ok' | 'warn' | 'crit' | 'info' | 'muted';

export type Mark = {
	readonly glyph: string;
	readonly word: string;
	readonly tone: Tone;
};

const marks: Readonly<
	Record<
		MarkKind,
		{
			readonly unicode: string;
			readonly ascii: string;
			readonly word: string;
			readonly tone: Tone;
		}
	>
> = {
	crit: {unicode: '✖', ascii: 'X', word: 'CRIT', tone: 'crit'},
	warn: {unicode: '▲', ascii: '!', word: 'WARN', tone: 'warn'},
	info: {unicode: '●', ascii: 'i', word: 'INFO', tone: 'info'},
	pending: {unicode: '…', ascii: '~', word: 'PENDING', tone: 'muted'},
	resolved: {unicode: '✔', ascii: '+', word: 'RESOLVED', tone: 'ok'},
	ok: {unicode: '✔', ascii: '+', word: 'OK', tone: 'ok'},
	down: {unicode: '✖', ascii: 'X', word: 'DOWN', tone: 'crit'},
	unknown: {unicode: '?', ascii: '?', word: 'UNKNOWN', tone: 'muted'},
};

/** Colour names that both chalk and ink's `<Text color>` understand. */
export const toneColor: Readonly<
	Record<Tone, 'green' | 'yellow' | 'red' | 'cyan' | 'gray'>
> = {
	ok: 'green',
	warn: 'yellow',
	crit: 'red',
	info: 'cyan',
	muted: 'gray',
};

export function markFor(
	kind: MarkKind,
	options: {readonly ascii?: boolean} = {},
): Mark {
	const mark = marks[kind];
	return {
		glyph: options.ascii ? mark.ascii : mark.unicode,
		word: mark.word,
		tone: mark.tone,
	};
}

/** A firing alert shows its severity; pending and resolved show the state, whatever the severity. */
export function alertMarkKind(
	alert: Pick<Alert, 'state' | 'severity'>,
): MarkKind {
	return alert.state === 'firing' ? alert.severity : alert.state;
}

export function statusMarkKind(status: Status | 'unknown'): MarkKind {
	return status;
}

/** Width of the widest `glyph word` (`… RESOLVED`), to line up columns. */
export const markWidth = Math.max(
	...Object.values(marks).map(mark => mark.word.length + 2),
);

/** `✖ CRIT`, padded to `pad` cells when given, coloured by tone when `color` is on. */
export function formatMark(
	mark: Mark,
	options: {readonly color: boolean; readonly pad?: number},
): string {
	const text = `${mark.glyph} ${mark.word}`;
	const padding = ' '.repeat(Math.max(0, (options.pad ?? 0) - text.length));
	return (options.color ? chalk[toneColor[mark.tone]](text) : text) + padding;
}
