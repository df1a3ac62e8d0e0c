/**
Cell-exact truncation and padding. The layout promises a line count per section, so no line may wrap: every string is
cut to its cells before ink sees it.
*/
import {cellWidth} from '../format/cell-width.js';

const segmenter = new Intl.Segmenter();

/** Cut `text` to at most `width` cells, ending with an ellipsis (`~` with `ascii`) when cut. */
export function fitText(text: string, width: number, ascii = false): string {
	if (width <= 0) {
		return '';
	}

	if (cellWidth(text) <= width) {
		return text;
	}

	const ellipsis = ascii ? '~' : '…';
	const room = width - 1;
	let result = '';
	let used = 0;
	for (const {segment} of segmenter.segment(text)) {
		const cells = cellWidth(segment);
		if (used + cells > room) {
			break;
		}

		result += segment;
		used += cells;
	}

	return result + ellipsis;
}

/** Fit, then pad to exactly `width` cells. */
export function padText(
	text: string,
	width: number,
	align: 'left' | 'right' = 'left',
	ascii = false,
): string {
	const fitted = fitText(text, width, ascii);
	const gap = ' '.repeat(Math.max(0, width - cellWidth(fitted)));
	return align === 'left' ? fitted + gap : gap + fitted;
}
