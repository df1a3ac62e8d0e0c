/**
What the UI and the line-oriented modes read for one target: the last good snapshot, bounded history for the
sparklines, and how the last scrape went. Produced by the pipeline, replaced (never mutated) on every scrape.
*/
import type {SeriesId} from '../catalog/signal-types.js';
import type {Snapshot} from '../pipeline/snapshot.js';

export type {SeriesId} from '../catalog/signal-types.js';

/** Bounded (see `historyCapacity`); `null` where a scrape failed or the value was missing. */
export type History = Readonly<Record<SeriesId, ReadonlyArray<number | null>>>;

/** starting: no scrape answered yet. up: the last scrape worked. stale: it failed after earlier good ones. down: never answered. */
export type Phase = 'starting' | 'up' | 'stale' | 'down';

export type LastScrape = {
	readonly at: number;
	readonly durationMs: number;
	/** One-line error of the last scrape, or null when it worked. */
	readonly error: string | null;
};

export type TargetView = {
	/** Display name (from a targets file) or the URL. */
	readonly name: string;
	readonly url: string;
	readonly phase: Phase;
	/** Last good snapshot; kept on screen while the target is stale. */
	readonly snapshot: Snapshot | null;
	readonly history: History;
	readonly lastScrape: LastScrape | null;
};
