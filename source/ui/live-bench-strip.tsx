import type {BenchStripState} from '../bench/bench-strip-state.js';
import type {Store} from '../store/store.js';
import {BenchStrip} from './bench-strip.js';
import {useStore} from './hooks/use-store.js';

export type LiveBenchStripProps = {
	readonly store: Store<BenchStripState>;
	readonly width: number;
	readonly isAscii: boolean;
};

/** The bench strip, redrawn when the run's state changes (once a second), apart from the monitor's own store. */
export function LiveBenchStrip({store, width, isAscii}: LiveBenchStripProps) {
	const state = useStore(store);
	return <BenchStrip state={state} width={width} isAscii={isAscii} />;
}
