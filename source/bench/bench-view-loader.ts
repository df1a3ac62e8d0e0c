import process from 'node:process';
import {setTimeout as sleep} from 'node:timers/promises';
import {type RawFlags, resolveCliOptions} from '../config/cli-options.js';
import {flagRows} from '../config/flags.js';
import {createStore} from '../store/store.js';
import type {BenchIo, BenchViewInput} from './bench-command.js';
import type {BenchOptions} from './bench-options.js';
import type {BenchStripState} from './bench-strip-state.js';
import {liveStats} from './progress-line.js';

/**
The full-screen view of a run: the monitor of the target, as `vllm-top URL` shows it, with the bench strip on top.
Quitting the view (q) before the run ends stops the run like Ctrl-C; after the end, it lets the report print.
*/
export function benchViewStarter(options: BenchOptions): BenchIo['startView'] {
	// Every flag at what meow gives when it is not on the command line, then what bench passes on.
	const defaults = Object.fromEntries(
		flagRows.map(([name, row]) => [
			name,
			row.kind === 'boolean'
				? (row.on ?? false)
				: row.kind === 'list'
					? []
					: undefined,
		]),
	);
	const flags = {
		...defaults,
		header: Object.entries(options.headers)
			.filter(([name]) => name !== 'authorization')
			.map(([name, value]) => `${name}: ${value}`),
		apiKey: options.headers['authorization']?.replace(/^Bearer /, ''),
		color: options.color,
		ascii: options.ascii,
		// The profiler key stays off: a trace would distort the run.
		readOnly: true,
		interval: '2',
	};
	const monitorOptions = resolveCliOptions(
		[options.url],
		// One entry per row of the flag table, as meow would give them.
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
		flags as unknown as RawFlags,
		process.env,
	);
	if (!monitorOptions.ok) {
		return undefined;
	}

	return (view: BenchViewInput) => {
		const snapshot = (finished: boolean): BenchStripState => ({
			model: view.model,
			stats: liveStats(view.run.progress(), performance.now()),
			finished,
		});
		const store = createStore(snapshot(false));
		const ticker = setInterval(() => {
			store.set(snapshot(false));
		}, 1000);
		const stopped = new AbortController();
		const loaded = import('../modes/monitor-command.js');
		const monitor = (async () => {
			const {runMonitorCommand} = await loaded;
			await runMonitorCommand(monitorOptions.options, {
				stdin: process.stdin,
				stdout: process.stdout,
				stderr: process.stderr,
				signal: stopped.signal,
				bench: store,
			});
			// The view is gone: a run still going stops as on Ctrl-C.
			view.stopRun();
		})();
		return {
			// The first frame is drawn before the first request, so drawing it does not delay what is measured.
			ready: loaded.then(async () => sleep(300)),
			async stop() {
				clearInterval(ticker);
				store.set(snapshot(true));
				await monitor;
			},
		};
	};
}
