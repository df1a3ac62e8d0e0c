import assert from 'node:assert/strict';
import {test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {
	lengthBuckets,
	occupiedBuckets,
} from '../source/format/length-buckets.js';
import {DisplayContext} from '../source/ui/display-context.js';
import {LatencyView} from '../source/ui/latency-view.js';
import {RequestLengths} from '../source/ui/request-lengths.js';
import {sampleTargetView} from './support/sample-snapshot.js';

/** Cumulative rates by `le`, as the page's buckets give them: most prompts 200..1000 tokens. */
const promptHistogram = {
	'1.0': 0,
	'2.0': 0,
	'5.0': 0,
	'100.0': 0.2,
	'200.0': 1,
	'500.0': 4,
	'1000.0': 6,
	'2000.0': 6.5,
	'5000.0': 6.5,
	'+Inf': 6.5,
};

test('cumulative buckets become per-bucket counts in bound order, trimmed to the occupied ones', () => {
	const buckets = lengthBuckets(promptHistogram);
	assert.equal(buckets.at(-1)?.upper, Number.POSITIVE_INFINITY);
	assert.deepEqual(
		occupiedBuckets(buckets).map(bucket => [bucket.upper, bucket.count]),
		[
			[100, 0.2],
			[200, 0.8],
			[500, 3],
			[1000, 2],
			[2000, 0.5],
		],
	);
	assert.deepEqual(occupiedBuckets(lengthBuckets({'1.0': 0, '+Inf': 0})), []);
	assert.deepEqual(lengthBuckets(null), []);
});

test('the lengths block shows p50, p90 and a bar per bucket, in ASCII when asked', () => {
	const props = {
		prompt: {p50: 420, p90: 1400, p95: 1600, p99: 1900, mean: 510},
		generation: {
			p50: 1,
			p90: 3,
			p95: 3,
			p99: 4,
			mean: 2,
			bounded: {
				p50: {side: 'below', bound: 1} as const,
				p90: null,
				p95: null,
				p99: null,
			},
		},
		promptHistogram,
		generationHistogram: {'1.0': 1, '5.0': 2, '+Inf': 2},
		width: 70,
		rows: 2,
	};
	const {lastFrame} = render(<RequestLengths {...props} />);
	const [prompt = '', output = ''] = stripVTControlCharacters(
		lastFrame() ?? '',
	).split('\n');
	assert.match(prompt, /^Prompt len +p50 420 +p90 1400 +\S{5} ≤100\.\.≤2000$/v);
	// The busiest bucket (200..500) is the tallest bar.
	assert.equal(/[▁-█]{5}/v.exec(prompt)?.[0][2], '█');
	assert.match(output, /^Output len +p50 <1 +p90 3 /v);

	const ascii = render(
		<DisplayContext.Provider value={{ascii: true}}>
			<RequestLengths {...props} rows={1} />
		</DisplayContext.Provider>,
	);
	const frame = stripVTControlCharacters(ascii.lastFrame() ?? '');
	assert.equal(frame.split('\n').length, 1);
	assert.match(frame, /<=100\.\.<=2000$/v);
	assert.doesNotMatch(frame, /[▁-█≤]/v);
});

test('the latency view draws the lengths under the latency table', () => {
	const target = sampleTargetView();
	const signals = {
		...target.snapshot!.signals,
		prompt_length_tokens: {
			p50: 420,
			p90: 1400,
			p95: 1600,
			p99: 1900,
			mean: 510,
		},
		prompt_length_histogram: promptHistogram,
	};
	const {lastFrame} = render(
		<LatencyView
			target={{...target, snapshot: {...target.snapshot!, signals}}}
			mode="full"
			width={100}
			rows={30}
		/>,
	);
	const frame = stripVTControlCharacters(lastFrame() ?? '');
	assert.match(frame, /Prompt len +p50 420 +p90 1400/v);
	assert.match(frame, /Output len +p50 -- +p90 -- +--/v);
});
