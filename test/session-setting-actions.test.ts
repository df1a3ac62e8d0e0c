import assert from 'node:assert/strict';
import {test} from 'node:test';
import {settingActions} from '../source/session/session.js';
import {initialMonitorState} from '../source/store/monitor-state.js';
import {createStore} from '../source/store/store.js';

test('the interval keys clamp to 0.5-60 s and the window key walks 1 m, 5 m, 15 m and round', () => {
	const store = createStore(
		initialMonitorState([], {intervalMs: 5000, windowSeconds: 60}),
	);
	const actions = settingActions(store);
	actions.setIntervalMs(100);
	assert.equal(store.get().intervalMs, 500);
	actions.setIntervalMs(120_000);
	assert.equal(store.get().intervalMs, 60_000);
	actions.setIntervalMs(2000);
	assert.equal(store.get().intervalMs, 2000);
	const windows: number[] = [];
	for (let step = 0; step < 4; step++) {
		actions.cycleWindow();
		windows.push(store.get().windowSeconds);
	}

	assert.deepEqual(windows, [300, 900, 60, 300]);
});
