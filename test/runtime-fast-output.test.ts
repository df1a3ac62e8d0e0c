import assert from 'node:assert/strict';
import {test} from 'node:test';
import chalk from 'chalk';
import {
	fastOutput,
	leavesStyleOpen,
	type InkOutput,
} from '../source/runtime/fast-output.js';

const write = (
	x: number,
	y: number,
	text: string,
	transformers: ReadonlyArray<(line: string, index: number) => string> = [],
) => ({type: 'write' as const, x, y, text, transformers});

const frame = (operations: InkOutput['operations'], height = 3): InkOutput => ({
	width: 20,
	height,
	operations,
});

test('rows are their writes in column order with blanks between, trailing blanks trimmed', () => {
	const result = fastOutput(
		frame([write(6, 0, 'right'), write(0, 0, 'left'), write(2, 1, 'a\nb  ')]),
	);
	assert.deepEqual(result, {output: 'left  right\n  a\n  b', height: 3});
});

test('transformers see each line and its index; rows outside the frame are dropped', () => {
	const result = fastOutput(
		frame([write(0, 1, 'x\ny\nz', [(line, index) => `${index}${line}`])], 2),
	);
	assert.equal(result?.output, '\n0x');
});

test("coloured writes are kept as written and close what they leave open, as ink's grid does", () => {
	chalk.level = 1;
	const kv = chalk.bold.cyan('KV');
	const cut = '\u001B[1m\u001B[36mKV';
	const result = fastOutput(frame([write(0, 0, kv), write(4, 0, cut)], 1));
	assert.equal(result?.output, `${kv}  ${cut}\u001B[0m`);
	assert.equal(leavesStyleOpen(kv), false);
	assert.equal(leavesStyleOpen(cut), true);
	assert.equal(leavesStyleOpen('\u001B[36m\u001B[1mab\u001B[22m'), true);
	assert.equal(leavesStyleOpen('\u001B[38;5;196mred\u001B[39m'), false);
	assert.equal(leavesStyleOpen('\u001B[38;2;1;2;3mred'), true);
	assert.equal(leavesStyleOpen('\u001B[1;36mab\u001B[0m'), false);
});

test("clipping, wide characters and overlapping writes are left to ink's grid", () => {
	assert.equal(
		fastOutput(frame([{type: 'clip'}, write(0, 0, 'a'), {type: 'unclip'}])),
		undefined,
	);
	assert.equal(fastOutput(frame([write(0, 0, '模型')])), undefined);
	assert.equal(fastOutput(frame([write(0, 0, '👍')])), undefined);
	assert.equal(
		fastOutput(frame([write(0, 0, 'abcdef'), write(3, 0, 'X')])),
		undefined,
	);
	assert.ok(fastOutput(frame([write(0, 0, 'abc'), write(3, 0, 'X')])));
});
