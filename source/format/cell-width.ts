/**
Terminal cells of a string, as string-width counts them, without its per-grapheme segmenting for the characters the
views draw: ASCII, Latin-1, punctuation, arrows, box drawing, blocks and shapes are one cell each (string-width
treats the ambiguous ones as narrow). Sparklines and charts are made of those, and string-width on them costs a
grapheme segmenter and three regular expressions per cell, on every frame.
*/
import {stripVTControlCharacters} from 'node:util';
import stringWidth from 'string-width';

/** Code points string-width gives exactly one cell; a string made only of them is as wide as it is long. */
const narrowOnly =
	/^[\u0020-\u007E\u00A1-\u00AC\u00AE-\u00FF\u2010-\u2027\u2190-\u21FF\u2500-\u25FC\u2714\u2716]*$/;

export function cellWidth(text: string): number {
	const plain =
		text.includes('\u001B') || text.includes('\u009B')
			? stripVTControlCharacters(text)
			: text;
	return narrowOnly.test(plain) ? plain.length : stringWidth(text);
}
