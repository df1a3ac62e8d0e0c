/**
Rows of styled segments as strings: the pure part of `Line` and `Lines`, also used where a component draws rows of
its own (a chart's title above its plot).
*/
import chalk from 'chalk';
import {cellWidth} from '../format/cell-width.js';
import {printable} from '../format/printable.js';
import {fitText} from './fit-text.js';
import {theme, type Tone} from './theme.js';

export type Segment = {
	readonly text: string;
	readonly tone?: Tone;
	readonly bold?: boolean;
};

/** Cut styled segments to a cell budget, so a line stays one terminal row. */
export function fitSegments(
	segments: readonly Segment[],
	width: number,
	ascii: boolean,
): Segment[] {
	const fitted: Segment[] = [];
	let used = 0;
	for (const segment of segments) {
		const cells = cellWidth(segment.text);
		if (used + cells <= width) {
			fitted.push(segment);
			used += cells;
			continue;
		}

		const text = fitText(segment.text, width - used, ascii);
		if (text !== '') {
			fitted.push({...segment, text});
		}

		break;
	}

	return fitted;
}

/**
A segment styled as a nested ink `<Text color dimColor bold>` would style it (same escapes, same order), so a line is
one text node instead of one per segment: a frame has a few hundred segments, and each nested Text costs React and
ink nodes on every render.
*/
function styled(segment: Segment): string {
	let {text} = segment;
	if (text === '') {
		return text;
	}

	if (segment.tone === 'dim') {
		text = chalk.dim(text);
	} else if (segment.tone !== undefined) {
		text = chalk[theme[segment.tone]](text);
	}

	return segment.bold ? chalk.bold(text) : text;
}

/**
A segment's text as it may reach the terminal: outside strings (a model name, a server's error) with their control
characters shown as escapes, and with `ascii` the separator dot, the one non-ASCII character the views use in text,
as `|`.
*/
function shown(segment: Segment, ascii: boolean): Segment {
	const safe = printable(segment.text);
	const text = ascii ? safe.replaceAll('·', '|') : safe;
	return text === segment.text ? segment : {...segment, text};
}

/** The row as one string of styled text, cut to `width` cells (`·` is `|` with `ascii`). */
export function styledRow(
	segments: readonly Segment[],
	width: number,
	ascii: boolean,
): string {
	const fitted = fitSegments(
		segments.map(segment => shown(segment, ascii)),
		width,
		ascii,
	);
	return fitted.length === 0
		? ' '
		: fitted.map(segment => styled(segment)).join('');
}
