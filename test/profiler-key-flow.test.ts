/**
The profiler keys end to end: the real App, keys through ink's stdin, a real driver, the simulator behind it. Plain
`createElement` keeps this a .ts file.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {createElement} from 'react';
import {createProfilerDriver} from '../source/profiler/profiler-driver.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {
	initialMonitorState,
	type MonitorActions,
	type MonitorState,
} from '../source/store/monitor-state.js';
import {createStore} from '../source/store/store.js';
import {App} from '../source/ui/app.js';
import {renderTerminal, waitFor} from './support/render-terminal.js';
import {sampleTargetView} from './support/sample-snapshot.js';

const plain = (text: string) => stripVTControlCharacters(text);

/** What the frame shows while capturing: the header badge, or the status line the view has today. */
const capturing = /PROFILING|Profiler running/u;
const writing = /writing trace|writing the trace/u;

async function session(options: {readonly readOnly: boolean}) {
	const sim = await startSimulator({profiler: true, profilerStopMs: 300});
	const client = createScrapeClient();
	const store = createStore<MonitorState>(
		initialMonitorState([sampleTargetView({url: `${sim.url}/metrics`})], {
			readOnly: options.readOnly,
		}),
	);
	const driver = createProfilerDriver({
		client,
		baseUrl: sim.url,
		onChange(view) {
			store.update(state => ({...state, profiler: view}));
		},
	});
	const actions: MonitorActions = {
		quit() {
			// Quitting is not part of this flow.
		},
		togglePause() {
			// Not part of this flow.
		},
		setInterval() {
			// Not part of this flow.
		},
		cycleWindow() {
			// Not part of this flow.
		},
		scrapeNow() {
			// Not part of this flow.
		},
		profilerKey(key) {
			driver.key(key);
		},
	};
	const terminal = renderTerminal(
		createElement(App, {store, actions, size: {columns: 140, rows: 40}}),
		{columns: 140, rows: 40},
	);
	const frame = () => plain(terminal.lastFrame());
	return {
		sim,
		terminal,
		frame,
		async close() {
			terminal.unmount();
			driver.dispose();
			await client.close();
			await sim.stop();
		},
	};
}

test('p asks, y starts, p stops: the frame shows the capture, the slow write, then where the trace is', async () => {
	const s = await session({readOnly: false});
	try {
		await waitFor(() => s.frame() !== '');
		s.terminal.stdin.write('p');
		await waitFor(() => s.frame().includes('Start the torch profiler'));
		assert.equal(s.sim.profiler.starts, 0, 'nothing is sent before the answer');
		s.terminal.stdin.write('y');
		await waitFor(() => capturing.test(s.frame()), 3000);
		assert.equal(s.sim.profiler.active, true);
		s.terminal.stdin.write('p');
		await waitFor(() => writing.test(s.frame()), 3000);
		await waitFor(() => s.frame().includes('trace written'), 3000);
		assert.equal(s.sim.profiler.active, false);
		assert.equal(s.sim.profiler.stops, 1);
	} finally {
		await s.close();
	}
});

test('n cancels the question, and read-only has no profiler key at all', async () => {
	const s = await session({readOnly: false});
	try {
		await waitFor(() => s.frame() !== '');
		s.terminal.stdin.write('p');
		await waitFor(() => s.frame().includes('Start the torch profiler'));
		s.terminal.stdin.write('n');
		await waitFor(() => !s.frame().includes('Start the torch profiler'));
		assert.equal(s.sim.profiler.starts, 0);
	} finally {
		await s.close();
	}

	const readOnly = await session({readOnly: true});
	try {
		await waitFor(() => readOnly.frame() !== '');
		assert.doesNotMatch(readOnly.frame(), /\bp profile\b/u);
		readOnly.terminal.stdin.write('p');
		readOnly.terminal.stdin.write('y');
		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
		assert.doesNotMatch(readOnly.frame(), /Start the torch profiler/u);
		assert.equal(readOnly.sim.profiler.starts, 0);
	} finally {
		await readOnly.close();
	}
});
