import assert from 'node:assert/strict';
import {test} from 'node:test';
import {wrapText} from '../source/ui/wrap-text.js';

test('wraps at word boundaries within the width, later rows indented', () => {
	assert.deepEqual(wrapText('one two three four', 9, '  '), [
		'one two',
		'  three',
		'  four',
	]);
	for (const row of wrapText('a b c d e f g h i j k l m n o p', 5)) {
		assert.ok(row.length <= 5, row);
	}
});

test('a word longer than the row is split, nothing is lost', () => {
	const rows = wrapText('see http://127.0.0.1:8000/metrics now', 10);
	assert.ok(
		rows.every(row => row.length <= 10),
		rows.join('|'),
	);
	assert.equal(
		rows.join('').replaceAll(' ', ''),
		'seehttp://127.0.0.1:8000/metricsnow',
	);
	assert.deepEqual(wrapText('', 10), ['']);
});
