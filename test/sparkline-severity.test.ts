import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ruleDefaults, type Thresholds} from '../source/alerts/rule-defaults.js';
import {formatCount, formatNumber} from '../source/format/units.js';
import {seriesTone} from '../source/ui/series-severity.js';
import {sparklineSegments} from '../source/ui/sparkline-segments.js';

const row = (
	id: 'requests_waiting' | 'preemptions_per_s',
	values: number[],
	thresholds: Thresholds = ruleDefaults,
) =>
	sparklineSegments(
		{
			label: id,
			values,
			format: id === 'requests_waiting' ? formatCount : formatNumber,
			width: 60,
			toneOf: value => seriesTone(id, value, thresholds),
		},
		false,
	);

test('zero draws on the baseline in the neutral colour, not as a red or yellow bar', () => {
	const segments = row('preemptions_per_s', [0, 0, 0, 0]);
	const glyphs = segments.filter(segment => /[▁▂▃▄▅▆▇█]/.test(segment.text));
	assert.deepEqual(
		glyphs.map(segment => segment.text.trim()),
		['▁▁▁▁'],
	);
	assert.equal(glyphs[0]!.tone, undefined);
});

test("each glyph takes its value's severity from the rule threshold in force", () => {
	const segments = row('requests_waiting', [2, 4, 20, 30]);
	const glyphs = segments.filter(segment => /[▁▂▃▄▅▆▇█]/.test(segment.text));
	assert.deepEqual(
		glyphs.map(segment => [segment.text.trim(), segment.tone]),
		[
			['▁▂', undefined],
			['▆█', 'warn'],
		],
	);
	const lenient = {
		...ruleDefaults,
		queue_backlog: {...ruleDefaults.queue_backlog, value: 25},
	};
	const tones = row('requests_waiting', [2, 4, 20, 30], lenient)
		.filter(segment => /[▁▂▃▄▅▆▇█]/.test(segment.text))
		.map(segment => segment.tone);
	assert.deepEqual(tones, [undefined, 'warn']);
	const current = segments.find(segment => segment.bold);
	assert.equal(
		current?.tone,
		'warn',
		'the current value is past the threshold',
	);
});

test('the range reads as a range, not as units', () => {
	const text = row('requests_waiting', [11, 30, 22])
		.map(segment => segment.text)
		.join('');
	assert.match(text, /now +22 · 11–30/);
	assert.doesNotMatch(text, /min|max/);
});
