/**
A faster way for ink 6.8 to turn a frame's text writes into lines. ink lays every write into a grid of cell objects
(a token list and an object per character, then a string again per row), on every frame: two thirds of the CPU of
drawing the dashboard. When no write is clipped, every character is one cell wide and no two writes on a row
overlap, which is every frame the views draw, each row is just its writes in order with spaces between. Anything else
returns undefined and ink's grid does the frame as before.

The text of each write is kept as written, so the bytes can differ from what ink's grid would print (its grid
re-encodes the colour codes), while every cell shows the same character in the same colours.
*/
import {stripVTControlCharacters} from 'node:util';
import {isNarrowOnly} from '../format/cell-width.js';

type Transformer = (line: string, index: number) => string;

/** The part of ink's `Output` (build/output.js) this reads. */
export type InkOutput = {
	readonly width: number;
	readonly height: number;
	readonly operations: ReadonlyArray<
		| {
				readonly type: 'write';
				readonly x: number;
				readonly y: number;
				readonly text: string;
				readonly transformers: readonly Transformer[];
		  }
		| {readonly type: 'clip' | 'unclip'}
	>;
};

type Segment = {
	readonly x: number;
	readonly end: number;
	readonly text: string;
};

const reset = '\u001B[0m';

/** Widths of written lines, or -1 for a line with a character that is not one cell. Bounded like ink's caches. */
const widths = new Map<string, number>();
const widthLimit = 4096;

function narrowWidth(line: string): number {
	let width = widths.get(line);
	if (width === undefined) {
		const plain = line.includes('\u001B')
			? stripVTControlCharacters(line)
			: line;
		width = isNarrowOnly(plain) ? plain.length : -1;
		if (widths.size >= widthLimit) {
			widths.clear();
		}

		widths.set(line, width);
	}

	return width;
}

/** What an SGR code turns on (a category) or off (`close:` + category); 0 turns everything off. */
function sgrEffect(code: number): string | undefined {
	if (code === 1 || code === 2 || code === 22) {
		return code === 22 ? 'close:intensity' : 'intensity';
	}

	if ((code >= 30 && code <= 38) || (code >= 90 && code <= 97)) {
		return 'foreground';
	}

	if ((code >= 40 && code <= 48) || (code >= 100 && code <= 107)) {
		return 'background';
	}

	if (code === 39 || code === 49) {
		return code === 39 ? 'close:foreground' : 'close:background';
	}

	if (code >= 3 && code <= 9) {
		return `attribute${code}`;
	}

	if (code >= 23 && code <= 29) {
		return `close:attribute${code - 20}`;
	}

	return undefined;
}

/**
Whether a style is still on at the end of `text`: ink's grid closes every style at the end of a write, so a write
that leaves one on gets a reset here. Reads only the SGR codes (`ESC [ ... m`).
*/
export function leavesStyleOpen(text: string): boolean {
	const on = new Set<string>();
	let at = text.indexOf('\u001B[');
	while (at !== -1) {
		const end = text.indexOf('m', at + 2);
		if (end === -1) {
			return true;
		}

		const codes = text.slice(at + 2, end).split(';');
		for (let index = 0; index < codes.length; index++) {
			const code = codes[index] === '' ? 0 : Number(codes[index]);
			if (code === 0) {
				on.clear();
				continue;
			}

			const effect = sgrEffect(code);
			if (effect?.startsWith('close:')) {
				on.delete(effect.slice(6));
			} else if (effect !== undefined) {
				on.add(effect);
			}

			// 38;5;n and 38;2;r;g;b (48 likewise) carry their colour in the codes that follow.
			if (code === 38 || code === 48) {
				index += codes[index + 1] === '5' ? 2 : 4;
			}
		}

		at = text.indexOf('\u001B[', end + 1);
	}

	return on.size > 0;
}

/** The frame as ink's `Output.get` returns it, or undefined when the frame needs ink's own grid. */
export function fastOutput(
	output: InkOutput,
): {output: string; height: number} | undefined {
	const rows: Array<Segment[] | undefined> = Array.from({
		length: output.height,
	});
	for (const operation of output.operations) {
		if (operation.type !== 'write') {
			return undefined;
		}

		const {x, y, transformers} = operation;
		if (x < 0) {
			return undefined;
		}

		const lines = operation.text.split('\n');
		for (const [index, written] of lines.entries()) {
			const row = y + index;
			if (row < 0 || row >= output.height) {
				continue;
			}

			let line = written;
			for (const transformer of transformers) {
				line = transformer(line, index);
			}

			const width = narrowWidth(line);
			if (width === -1) {
				return undefined;
			}

			if (width === 0) {
				continue;
			}

			const text = leavesStyleOpen(line) ? line + reset : line;
			(rows[row] ??= []).push({x, end: x + width, text});
		}
	}

	const lines: string[] = [];
	for (const segments of rows) {
		if (segments === undefined) {
			lines.push('');
			continue;
		}

		segments.sort((a, b) => a.x - b.x);
		let line = '';
		let column = 0;
		for (const segment of segments) {
			if (segment.x < column) {
				return undefined;
			}

			line += ' '.repeat(segment.x - column) + segment.text;
			column = segment.end;
		}

		lines.push(line.trimEnd());
	}

	return {output: lines.join('\n'), height: output.height};
}
