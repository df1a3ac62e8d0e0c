/**
What the alert evaluation reads on each scrape, and what it remembers between scrapes. Both are plain values so the
evaluation stays a pure function and can be replayed.
*/
import type {DialectId} from '../catalog/server-dialects.js';
import type {CacheConfig, Signals} from '../derive/snapshot.js';
import type {FamilyGroup} from '../catalog/family-groups.js';
import type {GpuReading} from '../gpu/gpu-reading.js';
import type {Alert} from './alert.js';
import type {RuleId} from './rule-defaults.js';
import type {TrendSignals} from './trend-signals.js';

export type HealthState = 'ok' | 'unhealthy' | 'unknown';

/** Recent scrapes, oldest first, holding only what the rules read from the past (see `trend-signals.ts`). */
export type RecentSignals = ReadonlyArray<{
	readonly at: number;
	readonly signals: TrendSignals;
}>;

export type AlertInput = {
	/** Epoch ms of this scrape. */
	readonly at: number;
	/** Null when the scrape failed. */
	readonly signals: Signals | null;
	/** Bounded recent history, oldest first; may or may not already end with this scrape. */
	readonly recent: RecentSignals;
	readonly cacheConfig: CacheConfig | null;
	readonly scrapeError: string | null;
	/** From `/health`: 503 is `unhealthy`; not asked or no answer is `unknown`. */
	readonly health: HealthState;
	/** Counters went backwards on this scrape. */
	readonly restarted: boolean;
	/** The page has vLLM's or SGLang's families (false: `--disable-log-stats`, or another server). */
	readonly hasVllmMetrics: boolean;
	/** Who wrote the page, when known: SGLang lacks some signals, so rules that read them are not judged. */
	readonly dialect?: DialectId | null;
	/** Without vLLM's or SGLang's families: what the page has instead, as `familyGroups` gives it. */
	readonly foundFamilies?: readonly FamilyGroup[];
	/** Deprecated metric names on the page, from `findDeprecatedNames`. */
	readonly deprecatedNames: readonly string[];
	/** `--once`: judge every rule on this scrape alone, without `for` durations. */
	readonly instant: boolean;
	/** Data-parallel engines behind the target; `--max-num-seqs` is per engine. Defaults to 1. */
	readonly engineCount?: number;
	/** Each data-parallel engine's signals: gauge rules judge the worst engine. */
	readonly perEngine?: ReadonlyArray<{
		readonly engine: string;
		readonly signals: Signals;
	}>;
	/** The engine generation, when known: V1 always chunks prefills, so its hints do not suggest turning that on. */
	readonly generation?: 'v0' | 'v1' | null;
	/**
	The GPUs under the target as last read: absent when no GPU source describes it, null when the last GPU poll gave
	nothing (the GPU rules then keep their state).
	*/
	readonly gpus?: readonly GpuReading[] | null;
};

export type AlertMemory = {
	/** The last alert each rule produced (pending, firing or recently resolved). */
	readonly alerts: Readonly<Partial<Record<RuleId, Alert>>>;
	/** Epoch ms of the last restart seen, to keep `restarted` up for its `hold`. */
	readonly lastRestartAt: number | null;
	/** Total running slots learned from a plateau of running while requests wait. */
	readonly learnedMaxRunning: number | null;
};

export const emptyAlertMemory: AlertMemory = {
	alerts: {},
	lastRestartAt: null,
	learnedMaxRunning: null,
};

/**
The input for a scrape that answered with `signals` and nothing else to say: healthy, no restart, vLLM's families on
the page, no deprecated names. Callers spread what their scrape does say over it.
*/
export function answeredInput(
	at: number,
	signals: Signals,
	recent: RecentSignals,
	instant: boolean,
): AlertInput {
	return {
		at,
		signals,
		recent,
		cacheConfig: null,
		scrapeError: null,
		health: 'ok',
		restarted: false,
		hasVllmMetrics: true,
		deprecatedNames: [],
		instant,
	};
}
