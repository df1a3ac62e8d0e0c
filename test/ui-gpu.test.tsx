/**
The GPU display's components: the overview rows, the GPU view, and the fleet table's column, from panels built the way
the watcher builds them.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {
	emptyGpuPanel,
	type GpuPanel,
	nextGpuPanel,
} from '../source/gpu/gpu-panel.js';
import {emptyReading} from '../source/gpu/gpu-reading.js';
import {initialMonitorState} from '../source/store/monitor-state.js';
import {DisplayContext} from '../source/ui/display-context.js';
import {FleetView} from '../source/ui/fleet-view.js';
import {GpuRows} from '../source/ui/gpu-rows.js';
import {GpuView} from '../source/ui/gpu-view.js';
import {OverviewView} from '../source/ui/overview-view.js';
import {sampleSnapshot, sampleTargetView} from './support/sample-snapshot.js';

function frame(element: React.JSX.Element): string {
	const {lastFrame, unmount} = render(
		<DisplayContext.Provider value={{ascii: false}}>
			{element}
		</DisplayContext.Provider>,
	);
	try {
		return stripVTControlCharacters(lastFrame() ?? '');
	} finally {
		unmount();
	}
}

const hot = emptyReading(1, 'NVIDIA H100 80GB HBM3', {
	host: 'gpu-a',
	sm_active: 0.95,
	memory_used_mib: 71_680,
	memory_total_mib: 81_920,
	power_w: 690,
	power_limit_w: 700,
	temperature_c: 88,
	sm_clock_mhz: 1200,
	sm_clock_max_mhz: 1980,
	throttle_reasons: ['hw_thermal'],
	xid_last: 0,
});
const calm = emptyReading(0, 'NVIDIA H100 80GB HBM3', {
	host: 'gpu-a',
	sm_active: 0.3,
	power_w: 210,
	power_limit_w: 700,
	temperature_c: 51,
});

function panelAfter(busy: readonly number[]): GpuPanel {
	let panel = emptyGpuPanel('http://gpu-a:9400/metrics');
	for (const [step, value] of busy.entries()) {
		panel = nextGpuPanel(
			panel,
			{ok: true, gpus: [{...calm}, {...hot, sm_active: value}]},
			step * 5000,
		);
	}

	return panel;
}

test('a row per GPU: SM sparkline from the panel history, power of limit, heat, memory and the flag', () => {
	const screen = frame(
		<GpuRows panel={panelAfter([0.2, 0.5, 0.95])} width={100} rows={4} />,
	);
	const rows = screen.split('\n');
	assert.equal(rows.length, 2, screen);
	assert.match(rows[0] ?? '', /^GPU0 SM\s+▃▃▃\s.*30\.0%\s+pwr 30%\s+51C\s+--$/);
	assert.match(
		rows[1] ?? '',
		/^GPU1 SM\s+▂▅█\s.*95\.0%\s+pwr 99%\s+88C\s+70\/80G\s+THERMAL$/,
	);
	assert.ok(rows.every(row => row.length <= 100));
});

function panelOf(count: number, flaggedIndex: number): GpuPanel {
	const gpus = Array.from({length: count}, (_, index) =>
		index === flaggedIndex ? {...hot, index} : {...calm, index},
	);
	return nextGpuPanel(
		emptyGpuPanel('http://gpu-a:9400/metrics'),
		{ok: true, gpus},
		0,
	);
}

test('fewer rows than GPUs: the flagged GPU first, and a last row that counts the rest', () => {
	const screen = frame(<GpuRows panel={panelOf(8, 6)} width={100} rows={3} />);
	const rows = screen.split('\n');
	assert.equal(rows.length, 3, screen);
	assert.match(rows[0] ?? '', /^GPU6 SM\s.*THERMAL$/);
	assert.match(rows[1] ?? '', /^GPU0 SM\s/);
	assert.equal(rows[2]?.trim(), '+6 more GPUs · v: GPU view');
	const roomy = frame(<GpuRows panel={panelOf(8, 6)} width={100} rows={8} />);
	assert.equal(roomy.split('\n').length, 8);
	assert.doesNotMatch(roomy, /more GPU/);
	assert.match(roomy.split('\n')[6] ?? '', /^GPU6 SM/);
});

test('a short pane with many GPUs keeps the queue, the latency table and the alert', () => {
	const target = sampleTargetView();
	const screen = frame(
		<OverviewView
			target={target}
			gpu={panelOf(4, 2)}
			mode="minimal"
			width={40}
			rows={14}
		/>,
	);
	assert.match(screen, /^Waiting/m, screen);
	assert.match(screen, /CRIT KV cache/, screen);
	assert.match(screen, /^TTFT\s/m, screen);
	assert.match(screen, /^GPU2 SM/m, screen);
	assert.match(screen, /more GPUs/, screen);
});

test('a failed poll keeps the readings and says why in the first row', () => {
	const panel = nextGpuPanel(
		panelAfter([0.5]),
		{ok: false, error: 'nvidia-smi did not answer within 3 s'},
		10_000,
	);
	const screen = frame(<GpuRows panel={panel} width={80} rows={1} />);
	assert.equal(screen.trim(), 'GPU  nvidia-smi did not answer within 3 s');
});

test('the GPU view lists every field with the GPUs across, and says where readings come from without any', () => {
	const target = sampleTargetView({snapshot: sampleSnapshot({alerts: []})});
	const screen = frame(
		<GpuView
			target={target}
			gpu={panelAfter([0.9])}
			mode="full"
			width={100}
			rows={26}
		/>,
	);
	assert.match(screen, /^\s+GPU 0\s+GPU 1/m);
	assert.match(screen, /^SM clock\s+--\s+1200\/1980 MHz/m);
	assert.match(screen, /^throttle\s+--\s+hw_thermal/m);
	assert.match(screen, /^host(?:\s+gpu-a){2}/m);
	const none = frame(
		<GpuView target={target} mode="full" width={100} rows={5} />,
	);
	assert.match(none, /no GPU readings for this target/);
});

test('the fleet table has a GPU column (mean SM active) only when a target has GPU readings', () => {
	const targets = [
		sampleTargetView({name: 'gpu-a'}),
		sampleTargetView({name: 'gpu-b'}),
	];
	const without = frame(
		<FleetView
			state={initialMonitorState(targets)}
			sortKey="status"
			filter=""
			width={120}
			rows={8}
		/>,
	);
	assert.doesNotMatch(without, /\bGPU\b/);
	const withGpus = frame(
		<FleetView
			state={initialMonitorState(targets, {
				gpus: [panelAfter([0.9]), undefined],
			})}
			sortKey="status"
			filter=""
			width={120}
			rows={8}
		/>,
	);
	assert.match(withGpus, /KV\s+GPU/);
	// (0.3 + 0.9) / 2
	assert.match(withGpus, /gpu-a.*\s60\.0%/);
	assert.match(withGpus, /gpu-b.*\s--\s/);
});
