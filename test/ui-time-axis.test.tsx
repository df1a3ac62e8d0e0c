import assert from 'node:assert/strict';
import {test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {Chart} from '../source/ui/chart.js';
import {timeAxis} from '../source/ui/time-axis.js';

const plain = (frame: string | undefined) =>
	stripVTControlCharacters(frame ?? '');

test('time axis: the span of the points at the first, the middle, now at the newest', () => {
	// 61 points 5 s apart: five minutes.
	const axis = timeAxis(61, 5000, 7, 80);
	assert.match(axis, /^ {7}-5m +-2m30s +now$/u);
	assert.equal(axis.length, 7 + 61);
	// It follows the interval: the same points a second apart span a minute.
	assert.match(timeAxis(61, 1000, 7, 80), /^ {7}-1m +-30s +now$/u);
	// Too few points for a middle label: only the ends.
	assert.match(timeAxis(8, 5000, 7, 80), /^ {7}-35s now$/u);
	assert.equal(timeAxis(1, 5000, 7, 80), '');
});

test('chart: with the interval given, the last row labels the x axis and the plot keeps its rows', () => {
	const values = Array.from({length: 12}, (_, index) => index);
	const frame = (stepMs?: number) =>
		plain(
			render(
				<Chart
					title="Tokens/s"
					series={[{label: 'gen', values, tone: 'ok'}]}
					format={value => String(value ?? '--')}
					width={60}
					rows={8}
					min={0}
					stepMs={stepMs}
				/>,
			).lastFrame(),
		).split('\n');
	const labelled = frame(5000);
	assert.equal(labelled.length, 8);
	assert.match(labelled.at(-1)!, /^ +-55s +now$/u);
	const unlabelled = frame();
	assert.equal(unlabelled.length, 8);
	assert.doesNotMatch(unlabelled.at(-1)!, /now/u);
});
