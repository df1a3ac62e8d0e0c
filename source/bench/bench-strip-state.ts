import type {LiveStats} from './progress-line.js';

/** What the bench strip above the monitor shows; replaced once a second while a run lasts. */
export type BenchStripState = {
	readonly model: string;
	readonly stats: LiveStats;
	/** The run ended: the report prints when the view closes. */
	readonly finished: boolean;
};

/** Rows the strip takes from the monitor's screen. */
export const benchStripRows = 3;
