import assert from 'node:assert/strict';
import {test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import type {BenchStripState} from '../source/bench/bench-strip-state.js';
import {initialMonitorState} from '../source/store/monitor-state.js';
import {createStore} from '../source/store/store.js';
import {App} from '../source/ui/app.js';
import {BenchStrip} from '../source/ui/bench-strip.js';
import {noActions} from './support/no-actions.js';

const state: BenchStripState = {
	model: 'llama',
	finished: false,
	stats: {
		done: 50,
		total: 200,
		failed: 2,
		inFlight: 7,
		elapsedS: 10,
		etaS: 30,
		offeredRate: 5,
		achievedRate: 4.8,
		ttftP50Ms: 41,
		ttftP99Ms: 230,
		tpotP50Ms: 9,
		tpotP99Ms: 15,
		lastError: 'HTTP 503: Service unavailable',
	},
};

test('the bench strip shows progress, rates, in flight, client latency and the last error', () => {
	const {lastFrame} = render(<BenchStrip state={state} width={120} />);
	const text = stripVTControlCharacters(lastFrame() ?? '');
	const rows = text.split('\n');
	assert.equal(rows.length, 3);
	assert.match(rows[0]!, /bench █████░{15} 50\/200 {2}10s {2}eta 30s {2}llama/);
	assert.match(
		rows[1]!,
		/rate 5\.0 offered 4\.8 achieved {2}in flight 7 {2}TTFT p50 41ms p99 230ms {2}TPOT p50 9ms p99 15ms/,
	);
	assert.match(rows[2]!, /errors 2: HTTP 503: Service unavailable/);
	const done = render(
		<BenchStrip isAscii state={{...state, finished: true}} width={40} />,
	);
	const finished = stripVTControlCharacters(done.lastFrame() ?? '');
	assert.match(finished, /\[#{5}\.{15}]/);
	assert.match(finished, /run finished: q shows the report/);
	for (const row of finished.split('\n')) {
		assert.ok(row.length <= 40, row);
	}
});

test('the monitor gives the strip its rows and draws it on top', () => {
	const store = createStore(initialMonitorState([]));
	const bench = createStore(state);
	const {lastFrame, rerender} = render(
		<App
			store={store}
			actions={noActions}
			size={{columns: 100, rows: 30}}
			bench={bench}
		/>,
	);
	const rows = stripVTControlCharacters(lastFrame() ?? '').split('\n');
	assert.match(rows[0]!, /^bench /);
	assert.ok(rows.length <= 30, `${rows.length} rows`);
	bench.set({...state, stats: {...state.stats, done: 120}});
	rerender(
		<App
			store={store}
			actions={noActions}
			size={{columns: 100, rows: 30}}
			bench={bench}
		/>,
	);
	assert.match(stripVTControlCharacters(lastFrame() ?? ''), /120\/200/);
});
