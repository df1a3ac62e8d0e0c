/**
Glyph and word per severity, so an alert reads without colour. Symbols where the terminal has them, ASCII otherwise.
*/
import type {Severity} from '../alerts/alert.js';

export type Mark = {
	readonly glyph: string;
	readonly word: string;
};

const unicode: Readonly<Record<Severity | 'ok', Mark>> = {
	crit: {glyph: '✖', word: 'CRIT'},
	warn: {glyph: '▲', word: 'WARN'},
	info: {glyph: 'ℹ', word: 'INFO'},
	ok: {glyph: '✔', word: 'OK'},
};

const plain: Readonly<Record<Severity | 'ok', Mark>> = {
	crit: {glyph: 'x', word: 'CRIT'},
	warn: {glyph: '!', word: 'WARN'},
	info: {glyph: 'i', word: 'INFO'},
	ok: {glyph: '+', word: 'OK'},
};

export function severityMark(severity: Severity | 'ok', ascii: boolean): Mark {
	return (ascii ? plain : unicode)[severity];
}
