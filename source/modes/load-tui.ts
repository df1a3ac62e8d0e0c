/**
Loads the full-screen view on demand (modes that draw nothing never load ink or React), with ink's text caches
bounded before ink's first import.
*/
import {registerInkCacheBounds} from '../runtime/ink-cache-bounds.js';
import type * as Tui from '../ui/run-tui.js';

export async function loadTui(): Promise<typeof Tui> {
	registerInkCacheBounds();
	return import('../ui/run-tui.js');
}
