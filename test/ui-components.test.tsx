import assert from 'node:assert/strict';
import {afterEach, beforeEach, test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import chalk, {type ColorSupportLevel} from 'chalk';
import {render} from 'ink-testing-library';
import {AlertsPanel} from '../source/ui/alerts-panel.js';
import {CacheConfigLine} from '../source/ui/cache-config-line.js';
import {CapacityLine} from '../source/ui/capacity-line.js';
import {Chart, sanitizeSeries} from '../source/ui/chart.js';
import {DisplayContext} from '../source/ui/display-context.js';
import {EnginesTable} from '../source/ui/engines-table.js';
import {Header} from '../source/ui/header.js';
import {HelpOverlay} from '../source/ui/help-overlay.js';
import {LatencyTable} from '../source/ui/latency-table.js';
import {Line} from '../source/ui/line.js';
import {sparklineSegments} from '../source/ui/sparkline-segments.js';
import {StatusLine} from '../source/ui/status-line.js';
import {Table} from '../source/ui/table.js';
import {initialMonitorState} from '../source/store/monitor-state.js';
import {formatNumber, formatPercent} from '../source/format/units.js';
import {
	sampleAlerts,
	sampleNow,
	sampleSignals,
	sampleSnapshot,
	sampleTargetView,
} from './support/sample-snapshot.js';

let level: ColorSupportLevel;
beforeEach(() => {
	level = chalk.level;
	chalk.level = 1;
});

afterEach(() => {
	chalk.level = level;
});

function frameOf(element: React.JSX.Element): string {
	const {lastFrame, unmount} = render(element);
	try {
		return lastFrame() ?? '';
	} finally {
		unmount();
	}
}

const plain = (text: string) => stripVTControlCharacters(text);
const isAscii = (text: string) =>
	[...text].every(character => character.codePointAt(0)! < 128);

test('a firing critical alert is one red bold line with glyph and word; its hint is dim', () => {
	const frame = frameOf(
		<AlertsPanel hasHints alerts={[sampleAlerts[0]!]} width={100} rows={2} />,
	);
	assert.equal(
		frame,
		`${chalk.bold.red('✖ CRIT KV cache 93.4% full for 2m, 0.4 preemptions/s')}\n${chalk.dim('  → lower --max-num-seqs or raise --gpu-memory-utilization')}`,
	);
});

test('a pending warning is yellow, marked PENDING and WARN, and firing alerts come first', () => {
	const frame = frameOf(
		<AlertsPanel
			alerts={[sampleAlerts[1]!, sampleAlerts[0]!]}
			width={100}
			rows={2}
			hasHints={false}
		/>,
	);
	const [first, second] = frame.split('\n');
	assert.match(plain(first!), /^✖ CRIT KV cache/u);
	assert.equal(
		second,
		chalk.yellow('… PENDING WARN 12 requests waiting, queue p95 620ms'),
	);
});

test('alerts that do not fit are counted, not dropped silently', () => {
	const frame = plain(
		frameOf(
			<AlertsPanel hasHints alerts={sampleAlerts} width={100} rows={1} />,
		),
	);
	assert.equal(
		frame,
		'✖ CRIT KV cache 93.4% full for 2m, 0.4 preemptions/s +2 more (v: alerts view)',
	);
	assert.equal(
		plain(frameOf(<AlertsPanel hasHints alerts={[]} width={40} rows={3} />)),
		'✔ OK no alerts',
	);
});

test('ascii alerts use ASCII glyphs', () => {
	const frame = frameOf(
		<DisplayContext.Provider value={{ascii: true}}>
			<AlertsPanel hasHints alerts={sampleAlerts} width={100} rows={6} />
		</DisplayContext.Provider>,
	);
	assert.match(plain(frame), /^X CRIT KV cache/u);
	assert.match(plain(frame), /-> lower --max-num-seqs/u);
	assert.ok(isAscii(frame), frame);
});

test('latency table: quantiles formatted, missing values read --', () => {
	const frame = plain(
		frameOf(
			<LatencyTable
				signals={sampleSignals}
				generation="v1"
				width={60}
				maxRows={5}
			/>,
		),
	);
	assert.deepEqual(frame.split('\n'), [
		'Latency       p50      p90      p95      p99',
		'TTFT        182ms    547ms    912ms    1.84s',
		'ITL          21ms     35ms     48ms     93ms',
		'E2E          6.2s    10.5s    14.8s    22.5s',
		'Queue        40ms    330ms    620ms     1.3s',
	]);
	const empty = plain(
		frameOf(
			<LatencyTable signals={null} generation="v0" width={60} maxRows={5} />,
		),
	);
	assert.match(empty, /^TPOT +-- +-- +-- +--$/mu);
	for (const line of empty.split('\n').slice(1)) {
		assert.match(line, /^\w+ +-- +-- +-- +--$/u);
	}
});

test('latency table: the header names the window its quantiles cover', () => {
	const frame = (windowSeconds: number) =>
		plain(
			frameOf(
				<LatencyTable
					signals={sampleSignals}
					generation="v1"
					width={60}
					maxRows={5}
					windowSeconds={windowSeconds}
				/>,
			),
		).split('\n');
	assert.match(frame(60)[0]!, /^Latency 1m +p50 +p90 +p95 +p99$/u);
	assert.match(frame(300)[0]!, /^Latency 5m +p50/u);
	const wide = frame(900);
	assert.match(wide[0]!, /^Latency 15m +p50/u);
	assert.match(wide[1]!, /^TTFT +182ms +547ms +912ms +1\.84s$/u);
});

test('table: columns fit the width, text is cut with an ellipsis, overflow rows are counted', () => {
	type Row = {readonly name: string; readonly value: number};
	const rows: Row[] = [
		{name: 'meta-llama/Llama-3.1-8B-Instruct', value: 1},
		{name: 'short', value: 22},
		{name: 'third', value: 333},
	];
	const frame = plain(
		frameOf(
			<Table<Row>
				columns={[
					{key: 'name', header: 'model', render: row => row.name},
					{
						key: 'value',
						header: 'n',
						align: 'right',
						render: row => String(row.value),
					},
				]}
				rows={rows}
				width={20}
				maxRows={3}
			/>,
		),
	);
	assert.deepEqual(frame.split('\n'), [
		'model              n',
		'meta-llama/Lla…    1',
		'+2 more',
	]);
});

test('engines table lists engines, models and LoRA adapters; KV above 90 % is red', () => {
	const frame = frameOf(
		<EnginesTable snapshot={sampleSnapshot()} width={100} maxRows={8} />,
	);
	const text = plain(frame);
	assert.match(
		text,
		/LoRA running sql-adapter · waiting chat-adapter · max 4/u,
	);
	assert.match(text, /^engine +run +wait +KV/mu);
	assert.match(text, /^0 +26 +7 +95\.1%/mu);
	assert.match(text, /^meta-llama\/Llama-3\.1-8B-Instruct +30/mu);
	assert.ok(frame.includes(chalk.red('95.1%')));
	assert.match(
		plain(frameOf(<EnginesTable snapshot={null} width={60} maxRows={4} />)),
		/^LoRA --$/u,
	);
});

test('capacity and cache lines, -- for missing values', () => {
	assert.equal(
		plain(
			frameOf(
				<CapacityLine capacity={sampleSnapshot().capacity} width={100} />,
			),
		),
		'Capacity KV 131k tok · avg 1103 tok/req · ceiling 119 req · suggest --max-num-seqs 83',
	);
	assert.equal(
		plain(frameOf(<CapacityLine capacity={null} width={100} />)),
		'Capacity KV -- · avg -- · ceiling -- · suggest --max-num-seqs --',
	);
	assert.equal(
		plain(
			frameOf(
				<CacheConfigLine
					cacheConfig={sampleSnapshot().cache_config}
					width={120}
				/>,
			),
		),
		'Cache block 16 · GPU blocks 8192 · pool 131k tok · prefix caching on · gpu mem 90.0% · dtype auto',
	);
});

test('sparkline segments: label, glyphs, current value and range on one row, the range not readable as units', () => {
	const frame = plain(
		frameOf(
			<Line
				segments={sparklineSegments(
					{
						label: 'KV cache',
						values: [0.5, null, 0.75, 1],
						format: formatPercent,
						width: 60,
						min: 0,
						max: 1,
					},
					false,
				)}
				width={60}
			/>,
		),
	);
	assert.equal(
		frame,
		`KV cache       ${'▅ ▆█'.padEnd(15)} now    100% · 50.0%–100%     `,
	);
	const narrow = plain(
		frameOf(
			<Line
				segments={sparklineSegments(
					{label: 'Gen t/s', values: [1, 2], format: formatNumber, width: 40},
					false,
				)}
				width={40}
			/>,
		),
	);
	assert.equal(narrow.length, 40);
	assert.doesNotMatch(narrow, /·/u);
	assert.match(
		plain(
			frameOf(
				<Line
					segments={sparklineSegments(
						{label: 'Waiting', values: [], format: formatNumber, width: 60},
						false,
					)}
					width={60}
				/>,
			),
		),
		/now +-- · --–-- *$/u,
	);
});

test('chart: NaN and gaps never reach asciichart; the plot stays inside its box', () => {
	assert.deepEqual(sanitizeSeries([[null, 1, null, Number.NaN, 3]], 10), [
		[1, 1, 1, 3],
	]);
	assert.deepEqual(sanitizeSeries([[1, 2, 3, 4]], 2), [[3, 4]]);
	assert.deepEqual(
		sanitizeSeries(
			[
				[1, null, 3],
				[null, null, 5],
			],
			10,
		),
		[[3], [5]],
	);
	const frame = frameOf(
		<Chart
			title="KV cache"
			series={[
				{
					label: 'KV',
					values: [0.2, null, 0.5, Number.NaN, 0.95, 0.4],
					tone: 'info',
				},
			]}
			format={formatPercent}
			width={50}
			rows={6}
			min={0}
			max={1}
			markAt={0.9}
		/>,
	);
	const lines = frame.split('\n');
	assert.equal(lines.length, 6);
	assert.match(
		plain(lines[0]!),
		/^KV cache {2}40\.0% \(20\.0%-95\.0%\) {2}── 90\.0%/u,
	);
	assert.ok(frame.includes('\u001B[36m'), 'series coloured cyan');
	assert.ok(plain(frame).includes('─'));
	const empty = plain(
		frameOf(
			<Chart
				title="Tokens/s"
				series={[{label: 'prompt', values: [null], tone: 'first'}]}
				format={formatNumber}
				width={40}
				rows={4}
			/>,
		),
	);
	assert.match(empty, /waiting for data/u);
});

test('chart without colour has no escapes, and ascii has no box drawing', () => {
	chalk.level = 0;
	const frame = frameOf(
		<DisplayContext.Provider value={{ascii: true}}>
			<Chart
				title="Tok/s"
				series={[{label: 'p', values: [1, 5, 2, 8, 3], tone: 'first'}]}
				format={formatNumber}
				width={30}
				rows={5}
			/>
		</DisplayContext.Provider>,
	);
	assert.ok(!frame.includes('\u001B'));
	assert.ok(isAscii(frame), frame);
});

test('header: STALE badge in yellow with the age of the data; -- for an unknown server', () => {
	const state = initialMonitorState([]);
	const stale = sampleTargetView({
		phase: 'stale',
		lastScrape: {at: sampleNow, durationMs: 3000, error: 'connection refused'},
	});
	const frame = frameOf(
		<Header
			target={stale}
			state={state}
			width={100}
			rows={2}
			now={sampleNow}
		/>,
	);
	assert.ok(frame.startsWith(chalk.bold.yellow('[STALE]')));
	assert.match(plain(frame), /scraped 0s ago in 3s \(data 2s old\)/u);
	const starting = plain(
		frameOf(
			<Header
				target={undefined}
				state={{...state, paused: true}}
				width={100}
				rows={1}
				now={sampleNow}
			/>,
		),
	);
	assert.equal(
		starting,
		'[STARTING] no target PAUSED · vLLM -- · up -- · no scrape yet',
	);
});

test('header: uptime from the server start, -- when the start lies ahead of this clock', () => {
	const state = initialMonitorState([]);
	const headerAt = (startedAt: number) =>
		plain(
			frameOf(
				<Header
					target={sampleTargetView({
						snapshot: sampleSnapshot({
							server: {
								...sampleSnapshot().server,
								started_at: new Date(startedAt).toISOString(),
							},
						}),
					})}
					state={state}
					width={100}
					rows={2}
					now={sampleNow}
				/>,
			),
		);
	assert.match(headerAt(sampleNow - 90 * 60 * 1000), /up 1h30m/u);
	assert.match(headerAt(sampleNow + 60_000), /up --/u);
});

test('status line: a stale target shows its error before the key hints', () => {
	const state = initialMonitorState([]);
	const stale = sampleTargetView({
		phase: 'stale',
		lastScrape: {
			at: sampleNow,
			durationMs: 3000,
			error: 'http://gpu-box-1:8000/metrics: connection refused',
		},
	});
	const frame = frameOf(
		<StatusLine
			target={stale}
			state={state}
			view="overview"
			width={120}
			rows={2}
			now={sampleNow}
		/>,
	);
	const [error, hints] = frame.split('\n');
	assert.equal(
		plain(error!),
		'ERROR http://gpu-box-1:8000/metrics: connection refused (showing the last good data; retrying)',
	);
	// ink merges adjacent escapes, so compare the styles present rather than exact sequences.
	assert.ok(
		error!.startsWith(chalk.bold.red('ERROR ').slice(0, 10)),
		'ERROR is bold red',
	);
	assert.ok(
		error!.includes(chalk.dim(' (showing the last good data; retrying)')),
	);
	assert.match(plain(hints!), /^q quit {2}\? help {2}space pause/u);
	const confirm = plain(
		frameOf(
			<StatusLine
				target={stale}
				state={{
					...state,
					profiler: {
						phase: 'confirm',
						startedAt: null,
						stoppingSince: null,
						detail: null,
					},
				}}
				view="overview"
				width={120}
				rows={1}
				now={sampleNow}
			/>,
		),
	);
	assert.equal(
		confirm,
		'Start the torch profiler on http://gpu-box-1:8000/metrics? y start · n cancel',
	);
});

test('help overlay lists the keys and fits its rows', () => {
	const frame = plain(
		frameOf(<HelpOverlay width={60} rows={20} isReadOnly={false} />),
	);
	for (const key of ['q  Ctrl-C', 'space', '+  -', 'w ', 'v ', 'r ', 'p ']) {
		assert.ok(frame.includes(`  ${key}`), key);
	}

	assert.equal(
		frameOf(<HelpOverlay isReadOnly width={60} rows={3} />).split('\n').length,
		3,
	);
	assert.doesNotMatch(
		plain(frameOf(<HelpOverlay isReadOnly width={60} rows={20} />)),
		/profiler/u,
	);
});
