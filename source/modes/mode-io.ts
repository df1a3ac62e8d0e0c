/**
The streams and stop signal a mode runs with; tests hand in their own.
*/
import type {BenchStripState} from '../bench/bench-strip-state.js';
import type {Store} from '../store/store.js';

export type ModeIo = {
	readonly stdin: NodeJS.ReadableStream & {readonly isTTY?: boolean};
	readonly stdout: NodeJS.WritableStream & {
		readonly isTTY?: boolean;
		readonly columns?: number;
		readonly rows?: number;
	};
	readonly stderr: NodeJS.WritableStream;
	/** Aborted on SIGINT, SIGTERM, SIGHUP and SIGQUIT. */
	readonly signal: AbortSignal;
	/** `bench` watching its target: the full-screen view shows the load generator's strip on top. */
	readonly bench?: Store<BenchStripState>;
};
