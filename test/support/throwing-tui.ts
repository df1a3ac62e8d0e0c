/**
The full-screen view as `runScreen` runs it (the same `runTui` module, the same handling of `done`), with a fault on
demand: on SIGUSR2 a handler throws (argument `exception`) or rejects a promise nobody awaits (`rejection`). Run with
`node --import tsx`; tests drive it in tmux to see the terminal given back as `q` gives it back.
*/
import process from 'node:process';
import {initialMonitorState} from '../../source/store/monitor-state.js';
import {createStore} from '../../source/store/store.js';
import {runTui} from '../../source/ui/run-tui.js';
import {noActions} from './no-actions.js';

const fault = process.argv[2] === 'rejection' ? 'rejection' : 'exception';
const store = createStore(initialMonitorState([]));
const tui = runTui({
	store,
	actions: {
		...noActions,
		quit() {
			tui.unmount();
		},
	},
	ascii: false,
	color: true,
});

process.once('SIGUSR2', () => {
	if (fault === 'rejection') {
		void Promise.reject(new Error('rejected on purpose'));
		return;
	}

	throw new Error('thrown on purpose');
});

try {
	await tui.done;
} catch (error) {
	process.stderr.write(
		`vllm-top: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exitCode = 1;
}
