import assert from 'node:assert/strict';
import {test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import type {Status} from '../source/derive/snapshot.js';
import {initialMonitorState} from '../source/store/monitor-state.js';
import type {TargetView} from '../source/store/target-view.js';
import {DisplayContext} from '../source/ui/display-context.js';
import {
	FleetView,
	moveFleetSelection,
	visibleFleetRows,
} from '../source/ui/fleet-view.js';
import {
	sampleSignals,
	sampleSnapshot,
	sampleTargetView,
	startingTargetView,
} from './support/sample-snapshot.js';

function upView(
	name: string,
	status: Status,
	running: number,
	kv: number,
): TargetView {
	return sampleTargetView({
		name,
		snapshot: sampleSnapshot({
			status,
			alerts: [],
			signals: {
				...sampleSignals,
				requests_running: running,
				requests_waiting: 0,
				kv_cache_usage: kv,
			},
		}),
	});
}

const targets: TargetView[] = [
	upView('gpu-1', 'ok', 11, 0.5),
	upView('gpu-2', 'warn', 22, 0.95),
	{...startingTargetView(), name: 'gpu-3', phase: 'down'},
];

function frame(element: React.JSX.Element, ascii = false): string {
	const {lastFrame, unmount} = render(
		<DisplayContext.Provider value={{ascii}}>
			{element}
		</DisplayContext.Provider>,
	);
	try {
		return stripVTControlCharacters(lastFrame() ?? '');
	} finally {
		unmount();
	}
}

test('one row per target with badge, numbers, and the fleet totals above', () => {
	const state = initialMonitorState(targets);
	const lines = frame(
		<FleetView
			state={state}
			sortKey="status"
			filter=""
			width={100}
			rows={10}
		/>,
	).split('\n');
	assert.match(lines[0]!, /^fleet 2\/3 up · run 33 · wait 0 · KV 72\.5% avg/v);
	assert.match(
		lines[1]!,
		/status\s+target\s+model\s+run\s+wait\s+KV\s+gen\/s\s+TTFT p95\s+alerts/v,
	);
	// Worst first: down, warn, ok.
	assert.match(lines[2]!, /DOWN\s+gpu-3\s+--\s+--/v);
	assert.match(
		lines[3]!,
		/WARN\s+gpu-2\s+meta-llama\S*\s+22\s+0\s+95\.0%\s+1876\s+912ms\s+0/v,
	);
	assert.match(lines[4]!, /^▶\s+OK\s+gpu-1\s.*\s11\s+0\s+50\.0%/v);
	assert.match(lines[5]!, /j\/k move · enter open/v);
	assert.equal(lines.length, 6);
});

test('ASCII terminals get a plain selection mark; the filter narrows and says how many are shown', () => {
	const state = {...initialMonitorState(targets), selected: 1};
	const text = frame(
		<FleetView
			state={state}
			sortKey="name"
			filter="status:warn"
			width={80}
			rows={10}
		/>,
		true,
	);
	const lines = text.split('\n');
	const wide = frame(
		<FleetView
			state={state}
			sortKey="name"
			filter="status:warn"
			width={120}
			rows={10}
		/>,
	);
	assert.match(wide, /filter status:warn \(2 shown\) · sort name/v);
	assert.ok(!text.includes('model'), 'narrow view drops the model column');
	assert.match(lines[2]!, /^>\s+WARN\s+gpu-2/v);
	assert.match(lines[3]!, /^\s+DOWN\s+gpu-3/v);
	assert.ok([...text].every(character => character.codePointAt(0)! < 128));
	const none = frame(
		<FleetView
			state={state}
			sortKey="name"
			filter="nothing"
			width={80}
			rows={10}
		/>,
	);
	assert.match(none, /no target matches the filter/v);
});

test('a fleet longer than the screen scrolls so the selected row stays visible', () => {
	const many = Array.from({length: 30}, (_, index) =>
		upView(`gpu-${index + 1}`, 'ok', index, 0.1),
	);
	const state = {...initialMonitorState(many), selected: 24};
	const lines = frame(
		<FleetView state={state} sortKey="name" filter="" width={100} rows={8} />,
	).split('\n');
	assert.equal(lines.length, 8);
	assert.match(lines[6]!, /▶\s+OK\s+gpu-25\s/v);
	assert.match(lines[7]!, /20 above · 5 below/v);
});

test('selection moves through the shown order and stops at the ends', () => {
	const state = initialMonitorState(targets);
	assert.deepEqual(
		visibleFleetRows(state, 'status', '').map(row => row.index),
		[2, 1, 0],
	);
	assert.equal(moveFleetSelection(state, 'status', '', -1), 1);
	assert.equal(moveFleetSelection(state, 'status', '', 1), 0);
	assert.equal(
		moveFleetSelection({...state, selected: 2}, 'status', '', -1),
		2,
	);
	// The selected target filtered out: the first shown one is picked.
	assert.equal(moveFleetSelection(state, 'status', 'down', 1), 2);
	assert.equal(moveFleetSelection(state, 'status', 'nothing', 1), 0);
});
