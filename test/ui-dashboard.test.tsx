import assert from 'node:assert/strict';
import {afterEach, beforeEach, test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import chalk, {type ColorSupportLevel} from 'chalk';
import stringWidth from 'string-width';
import {createStore, type Store} from '../source/store/store.js';
import {
	initialMonitorState,
	stepInterval,
	type MonitorActions,
	type MonitorState,
} from '../source/store/monitor-state.js';
import {App} from '../source/ui/app.js';
import {
	renderTerminal,
	waitFor,
	type TerminalRender,
} from './support/render-terminal.js';
import {
	sampleNow,
	sampleSnapshot,
	sampleTargetView,
	startingTargetView,
} from './support/sample-snapshot.js';

let level: ColorSupportLevel;
const open: TerminalRender[] = [];
beforeEach(() => {
	level = chalk.level;
	chalk.level = 1;
});

afterEach(() => {
	for (const terminal of open.splice(0)) {
		terminal.unmount();
	}

	chalk.level = level;
});

type Calls = Array<[string, unknown?]>;

/** Actions that record their calls and apply pause and interval to the store, as the real owner does. */
function recordingActions(
	store: Store<MonitorState>,
	calls: Calls,
): MonitorActions {
	return {
		quit() {
			calls.push(['quit']);
		},
		togglePause() {
			calls.push(['togglePause']);
			store.update(state => ({...state, paused: !state.paused}));
		},
		setInterval(ms) {
			calls.push(['setInterval', ms]);
			store.update(state => ({...state, intervalMs: ms}));
		},
		cycleWindow() {
			calls.push(['cycleWindow']);
		},
		scrapeNow() {
			calls.push(['scrapeNow']);
		},
		profilerKey(key) {
			calls.push(['profilerKey', key]);
		},
		select(index) {
			calls.push(['select', index]);
			store.update(state => ({...state, selected: index}));
		},
	};
}

function mount(options: {
	columns: number;
	rows: number;
	state?: MonitorState;
	isAscii?: boolean;
}) {
	const store = createStore(
		options.state ?? initialMonitorState([sampleTargetView()]),
	);
	const calls: Calls = [];
	const terminal = renderTerminal(
		<App
			store={store}
			actions={recordingActions(store, calls)}
			isAscii={options.isAscii}
			size={{columns: options.columns, rows: options.rows}}
			now={() => sampleNow}
		/>,
		{columns: options.columns, rows: options.rows},
	);
	open.push(terminal);
	return {
		store,
		calls,
		terminal,
		frame: () => terminal.lastFrame(),
		text: () => stripVTControlCharacters(terminal.lastFrame()),
	};
}

/** Input listeners attach in an effect after the first render. */
async function press(terminal: TerminalRender, key: string) {
	await new Promise(resolve => {
		setTimeout(resolve, 20);
	});
	terminal.stdin.write(key);
	await new Promise(resolve => {
		setTimeout(resolve, 20);
	});
}

const sizes = [
	[80, 24],
	[60, 16],
	[40, 10],
	[120, 40],
	[250, 70],
] as const;

test('every view fits rows-1 lines and the terminal width, at every supported size', async () => {
	const stale = sampleTargetView({
		phase: 'stale',
		lastScrape: {
			at: sampleNow,
			durationMs: 3000,
			error:
				'http://gpu-box-1:8000/metrics: connect ECONNREFUSED 10.0.0.7:8000',
		},
	});
	for (const target of [sampleTargetView(), stale, startingTargetView()]) {
		for (const [columns, rows] of sizes) {
			const state = initialMonitorState([target], {
				message: 'recording to vllm-top.ndjson failed: disk full',
			});
			const {terminal, frame} = mount({columns, rows, state});
			for (const view of ['overview', 'latency', 'engines', 'alerts', 'help']) {
				const lines = frame().split('\n');
				assert.ok(
					lines.length <= rows - 1,
					`${view} ${columns}x${rows}: ${lines.length} lines`,
				);
				assert.ok(
					lines.length >= Math.min(rows - 1, 5),
					`${view} ${columns}x${rows} uses the screen`,
				);
				for (const line of lines) {
					assert.ok(
						stringWidth(line) <= columns,
						`${view} ${columns}x${rows}: ${line}`,
					);
				}

				await press(terminal, view === 'alerts' ? '?' : 'v');
			}

			terminal.unmount();
		}
	}
});

test('full layout at 80x24 draws charts; 60x16 switches to block sparklines; below 40x10 says so', () => {
	const full = mount({columns: 80, rows: 24}).text();
	assert.match(full, /Tokens\/s/u);
	assert.match(full, /┤/u);
	assert.match(full, /── 90\.0%/u);
	assert.match(full, /^Latency 1m +p50 +p90 +p95 +p99$/mu);
	assert.match(full, /^Capacity KV 131k tok/mu);
	const compact = mount({columns: 60, rows: 16}).text();
	assert.doesNotMatch(compact, /┤/u);
	assert.match(
		compact,
		/^KV cache +[▁▂▃▄▅▆▇█ ]+ now +67\.0% · 65\.0%–94\.9% *$/mu,
	);
	assert.match(compact, /^\[CRIT\] gpu-box-1/u);
	const tiny = mount({columns: 30, rows: 8}).text();
	assert.equal(tiny, 'too small: 30x8 < 40x10');
});

test('a large terminal (250x70) shows the charts, the latency charts and table and the engines table together', () => {
	const large = mount({columns: 250, rows: 70}).text();
	const lines = large.split('\n');
	assert.ok(lines.length <= 69, `${lines.length} lines`);
	assert.match(large, /^Tokens\/s/mu);
	assert.match(large, /^TTFT p95 /mu);
	assert.match(large, /^Latency 1m +p50 +p90 +p95 +p99$/mu);
	assert.match(large, /^engine +/mu);
	assert.match(large, /^model +/mu);
	assert.match(large, /^LoRA /mu);
	assert.match(large, /^Capacity KV /mu);
	// 80x24 keeps its room for the charts and trends: no engines table there.
	assert.doesNotMatch(mount({columns: 80, rows: 24}).text(), /^engine +/mu);
});

test('the badge is coloured and the critical alert is red with glyph and word', () => {
	const frame = mount({columns: 80, rows: 24}).frame();
	assert.ok(frame.startsWith(chalk.bold.red('[CRIT]')));
	assert.ok(
		frame.includes(
			chalk.bold.red('✖ CRIT KV cache 93.4% full for 2m, 0.4 preemptions/s'),
		),
	);
	assert.ok(
		frame.includes(
			chalk.yellow('… PENDING WARN 12 requests waiting, queue p95 620ms'),
		),
	);
});

test('a failed scrape keeps the last data on screen, marked STALE with the error line', () => {
	const target = sampleTargetView({
		phase: 'stale',
		lastScrape: {
			at: sampleNow,
			durationMs: 3000,
			error: 'connect ECONNREFUSED',
		},
	});
	const text = mount({
		columns: 80,
		rows: 24,
		state: initialMonitorState([target]),
	}).text();
	assert.match(text, /^\[STALE\] gpu-box-1/u);
	assert.match(
		text,
		/^ERROR connect ECONNREFUSED \(showing the last good data; retrying\)$/mu,
	);
	assert.match(text, /TTFT +182ms +547ms +912ms +1\.84s/u);
});

test('before the first scrape every value is --', () => {
	const text = mount({
		columns: 80,
		rows: 24,
		state: initialMonitorState([startingTargetView()]),
	}).text();
	assert.match(text, /^\[STARTING\]/u);
	assert.match(text, /^TTFT +-- +-- +-- +--$/mu);
	assert.match(text, /Capacity KV -- · avg -- · ceiling --/u);
	assert.doesNotMatch(text, /NaN|undefined|null/u);
});

test('NO_COLOR: chalk level 0 leaves no escape codes in the frame', () => {
	chalk.level = 0;
	for (const [columns, rows] of sizes) {
		const frame = mount({columns, rows}).frame();
		assert.ok(!frame.includes('\u001B'), `${columns}x${rows}`);
		assert.match(frame, /CRIT/u);
	}
});

test('--ascii: no character outside ASCII at any size', () => {
	for (const [columns, rows] of sizes) {
		const frame = stripVTControlCharacters(
			mount({columns, rows, isAscii: true}).frame(),
		);
		const foreign = [...frame].filter(
			character => character.codePointAt(0)! > 127,
		);
		assert.deepEqual(foreign, [], `${columns}x${rows}`);
	}
});

test('q and Ctrl-C quit; + and - step the interval; w, r and p reach their actions', async () => {
	const {terminal, calls} = mount({columns: 80, rows: 24});
	await press(terminal, 'q');
	await press(terminal, '\u0003');
	await press(terminal, '+');
	await press(terminal, '-');
	await press(terminal, '-');
	await press(terminal, 'w');
	await press(terminal, 'r');
	await press(terminal, 'p');
	assert.deepEqual(calls, [
		['quit'],
		['quit'],
		['setInterval', 10_000],
		['setInterval', 5000],
		['setInterval', 2000],
		['cycleWindow'],
		['scrapeNow'],
		['profilerKey', 'p'],
	]);
	assert.equal(stepInterval(60_000, 1), 60_000);
	assert.equal(stepInterval(500, -1), 500);
	assert.equal(stepInterval(7000, 1), 10_000);
});

test('read-only: p does nothing; the profiler confirmation takes y, n and Esc', async () => {
	const readOnly = mount({
		columns: 80,
		rows: 24,
		state: initialMonitorState([sampleTargetView()], {readOnly: true}),
	});
	await press(readOnly.terminal, 'p');
	assert.deepEqual(readOnly.calls, []);
	const confirm = mount({
		columns: 80,
		rows: 24,
		state: initialMonitorState([sampleTargetView()], {
			profiler: {
				phase: 'confirm',
				startedAt: null,
				stoppingSince: null,
				detail: null,
			},
		}),
	});
	assert.match(
		confirm.text(),
		/Start the torch profiler on http:\/\/gpu-box-1:8000\/metrics\? y start · n cancel/u,
	);
	await press(confirm.terminal, 'y');
	await press(confirm.terminal, 'n');
	await press(confirm.terminal, '\u001B');
	assert.deepEqual(confirm.calls, [
		['profilerKey', 'y'],
		['profilerKey', 'n'],
		['profilerKey', 'escape'],
	]);
});

test('? shows the help and closes it again; v cycles the views', async () => {
	const {terminal, text} = mount({columns: 80, rows: 24});
	await press(terminal, '?');
	assert.match(text(), /^Keys {2}\(\? or Esc to close\)$/mu);
	await press(terminal, '?');
	assert.doesNotMatch(text(), /^Keys/mu);
	const seen: string[] = [];
	for (let index = 0; index < 4; index++) {
		await press(terminal, 'v');
		seen.push(/ v (\w+) /u.exec(text())?.[1] ?? '');
	}

	assert.deepEqual(seen, ['latency', 'engines', 'alerts', 'overview']);
	await press(terminal, 'v');
	assert.match(text(), /^Prefill /mu);
	await press(terminal, 'v');
	assert.match(text(), /^engine +run +wait +KV/mu);
	await press(terminal, 'v');
	assert.match(text(), /→ no action needed/u);
	assert.match(text(), /^Cache block 16/mu);
});

test('space pauses: store updates do not change the frame until resumed', async () => {
	const {terminal, store, text, calls} = mount({columns: 80, rows: 24});
	await press(terminal, ' ');
	assert.deepEqual(calls, [['togglePause']]);
	await waitFor(() => text().includes('PAUSED'));
	const frozen = text();
	const busier = sampleTargetView({
		snapshot: sampleSnapshot({
			signals: {
				...sampleSnapshot().signals,
				ttft_seconds: {p50: 3, p90: null, p95: 7, p99: 9, mean: 4},
			},
		}),
	});
	store.update(state => ({...state, targets: [busier]}));
	await new Promise(resolve => {
		setTimeout(resolve, 30);
	});
	assert.equal(text(), frozen);
	assert.match(frozen, /TTFT +182ms/u);
	await press(terminal, ' ');
	await waitFor(() => /TTFT +3s /u.test(text()));
	assert.doesNotMatch(text(), /PAUSED/u);
});

test('the layout follows the terminal size on resize', async () => {
	const store = createStore(initialMonitorState([sampleTargetView()]));
	const calls: Calls = [];
	const terminal = renderTerminal(
		<App
			store={store}
			actions={recordingActions(store, calls)}
			now={() => sampleNow}
		/>,
		{columns: 80, rows: 24},
	);
	open.push(terminal);
	assert.match(stripVTControlCharacters(terminal.lastFrame()), /┤/u);
	terminal.stdout.resize(60, 16);
	await waitFor(
		() => !stripVTControlCharacters(terminal.lastFrame()).includes('┤'),
	);
	assert.ok(terminal.lastFrame().split('\n').length <= 15);
});

test('a replay shows ages against the recorded time, not the wall clock', async () => {
	const recordedAt = sampleNow - 3 * 3600 * 1000;
	const view = sampleTargetView({
		lastScrape: {at: recordedAt - 4000, durationMs: 42, error: null},
	});
	const live = mount({
		columns: 100,
		rows: 30,
		state: {...initialMonitorState([view]), replayAt: recordedAt},
	});
	await waitFor(() => live.text().includes('scraped 4s ago'));
	live.store.update(state => ({...state, replayAt: null}));
	await waitFor(() => live.text().includes('scraped 3h'));
});

test('fleet: several targets open on the fleet table; j selects, Enter opens, Esc goes back', async () => {
	const {terminal, text, calls} = mount({
		columns: 100,
		rows: 30,
		state: initialMonitorState([
			sampleTargetView({name: 'gpu-a'}),
			sampleTargetView({name: 'gpu-b'}),
		]),
	});
	await waitFor(() => text().includes('fleet 2/2'));
	await press(terminal, 'j');
	await waitFor(() => calls.some(([name]) => name === 'select'));
	await press(terminal, '\r');
	await waitFor(
		() => !text().includes('fleet 2/2') && text().includes('Latency'),
	);
	await press(terminal, '\u001B');
	await waitFor(() => text().includes('fleet 2/2'));
});

test('a server that never answered shows its down alert with the scrape error, not "no alerts"', async () => {
	const down = {
		...startingTargetView(),
		phase: 'down' as const,
		lastScrape: {
			at: sampleNow,
			durationMs: 3,
			error: 'http://gpu:8000/metrics: connection refused: starting or down',
		},
	};
	const {text} = mount({
		columns: 100,
		rows: 30,
		state: initialMonitorState([down]),
	});
	await waitFor(() => text().includes('connection refused'));
	assert.match(text(), /CRIT[^\n]*connection refused/);
	assert.doesNotMatch(text(), /no alerts/);
});
