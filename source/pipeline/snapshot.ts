/**
The report of one target at one moment: derive's observation plus the alerts stage's verdict and, when the target
went stale, the error that made it so. This is what `--json`, the plain line, `--once` and the view read.
*/
import type {Alert} from '../alerts/alert.js';
import type {NotJudged} from '../alerts/rules-not-judged.js';
import type {BatchFill} from '../derive/batch-fill.js';
import type {Observation, Status} from '../derive/snapshot.js';

export type Snapshot = Observation & {
	readonly status: Status;
	readonly alerts: readonly Alert[];
	/** Rules this server cannot be judged by, for lack of the signal they read (SGLang), with the reason. */
	readonly not_judged: readonly NotJudged[];
	/** Tokens per step as a share of `--max-num-batched-tokens`; null when that is not given. */
	readonly batch_fill: BatchFill | null;
	/** The last scrape error, when the snapshot is from an earlier good scrape. */
	readonly error: string | null;
};
