import type {BenchOptions} from './bench-options.js';
import type {BenchIo} from './bench-command.js';

/** The full-screen view is not built yet in this mode: progress lines stand in for it. */
export function benchViewStarter(_options: BenchOptions): BenchIo['startView'] {
	return undefined;
}
