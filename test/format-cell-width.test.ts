import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Chalk} from 'chalk';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {cellWidth} from '../source/format/cell-width.js';

const styler = new Chalk({level: 1});
const drawn =
	' abcXYZ019·…─│╭╮╯╰┼┤▁▂▃▄▅▆▇█●▲▶✔✖→µ±界😀\u0301\u00AD\u200D\uFE0F';

test('cellWidth counts every character the views draw as string-width does', () => {
	for (const range of [
		[0x20, 0x7e],
		[0xa0, 0xff],
		[0x20_10, 0x20_2f],
		[0x21_90, 0x21_ff],
		[0x25_00, 0x25_ff],
		[0x27_00, 0x27_20],
	] as const) {
		for (let code = range[0]; code <= range[1]; code++) {
			const text = String.fromCodePoint(code);
			assert.equal(
				cellWidth(text),
				stringWidth(text),
				`U+${code.toString(16)}`,
			);
		}
	}
});

test('cellWidth agrees with string-width on mixed and styled strings', () => {
	fc.assert(
		fc.property(
			fc.array(fc.constantFrom(...drawn), {maxLength: 40}),
			fc.boolean(),
			(characters, isStyled) => {
				const text = characters.join('');
				const line = isStyled ? styler.red.bold(text) : text;
				return cellWidth(line) === stringWidth(line);
			},
		),
		{numRuns: 500},
	);
});
