/**
The per-target pipeline step every mode shares: one scrape result in, the next target state out. Pure: the derive
and alert memories travel inside the state, and nothing is mutated.
*/
import type {
	AlertInput,
	AlertMemory,
	HealthState,
	RecentSignals,
} from '../alerts/alert-input.js';
import type {Alert} from '../alerts/alert.js';
import {findDeprecatedNames} from '../catalog/deprecated-names.js';
import {familyGroups} from '../catalog/family-groups.js';
import {readDialect} from '../derive/dialect-page.js';
import {rulesNotJudged} from '../alerts/rules-not-judged.js';
import {evaluateAlerts} from '../alerts/evaluate-alerts.js';
import {trendSignals} from '../alerts/trend-signals.js';
import {defaultAlertConfig, type AlertConfig} from '../alerts/alert-config.js';
import {deriveSnapshot, type DeriveMemory} from '../derive/derive-snapshot.js';
import type {Signals, Status} from '../derive/snapshot.js';
import type {Page, ParseResult} from '../parse/page.js';
import type {ScrapeResult} from '../scrape/scrape-result.js';
import type {TargetView} from '../store/target-view.js';
import {batchFill} from '../derive/batch-fill.js';
import {
	appendBounded,
	appendHistory,
	emptyHistory,
	historyCapacity,
	historyPointOf,
} from './history.js';
import type {Snapshot} from './snapshot.js';

export type AlertEvaluator = (
	memory: AlertMemory | undefined,
	input: AlertInput,
) => {
	readonly memory: AlertMemory;
	readonly alerts: readonly Alert[];
	readonly status: Status;
};

export type TargetState = {
	readonly view: TargetView;
	readonly derive: DeriveMemory | undefined;
	readonly alerts: AlertMemory | undefined;
	/** What the rules read from recent good scrapes (`trend-signals.ts`), oldest first, for the alert trends. */
	readonly recent: RecentSignals;
};

export type ScrapeInput = {
	readonly result: ScrapeResult;
	/** The parsed body; null when the scrape failed (or was not parsed). */
	readonly page: ParseResult | null;
	/** Epoch ms of the scrape. */
	readonly at: number;
	readonly windowSeconds: number;
	/** Defaults to `evaluateAlerts` with `alertConfig`. */
	readonly evaluate?: AlertEvaluator;
	/** Used by the default evaluator; defaults to `defaultAlertConfig`. */
	readonly alertConfig?: AlertConfig;
	/** From `/version`, when known. */
	readonly version?: string | null;
	/** From `/health`, when asked. */
	readonly health?: HealthState;
	/** `--once`: judge alerts on this scrape alone. */
	readonly instant?: boolean;
	/** The GPUs under the target as last read, for the GPU rules (`AlertInput.gpus`). */
	readonly gpus?: AlertInput['gpus'];
};

/** Recent signals kept for the alert trends: the same span as the sparklines. */
const recentCapacity = historyCapacity;

export function initialTargetState(name: string, url: string): TargetState {
	return {
		view: {
			name,
			url,
			phase: 'starting',
			snapshot: null,
			history: emptyHistory(),
			lastScrape: null,
		},
		derive: undefined,
		alerts: undefined,
		recent: [],
	};
}

export function reduceScrape(
	state: TargetState,
	input: ScrapeInput,
): TargetState {
	const evaluate: AlertEvaluator =
		input.evaluate ??
		((memory, alertInput) =>
			evaluateAlerts(
				memory,
				alertInput,
				input.alertConfig ?? defaultAlertConfig,
			));
	const page = pageOf(input);
	if (page.ok) {
		return reduceGoodScrape(state, input, page.page, evaluate);
	}

	return reduceFailedScrape(state, input, page.error, evaluate);
}

function pageOf(
	input: ScrapeInput,
): {ok: true; page: Page} | {ok: false; error: string} {
	const {result, page} = input;
	if (!result.ok) {
		return {ok: false, error: result.message};
	}

	if (page === null) {
		return {
			ok: false,
			error: `${result.url}: the page was not parsed; report this as a bug`,
		};
	}

	if (!page.ok) {
		return {
			ok: false,
			error: `${result.url}: not a Prometheus page (line ${page.line}: ${page.error}); check the URL points at /metrics`,
		};
	}

	return page;
}

function reduceGoodScrape(
	state: TargetState,
	input: ScrapeInput,
	raw: Page,
	evaluate: AlertEvaluator,
): TargetState {
	const {dialect, page} = readDialect(raw);
	const derived = deriveSnapshot(state.derive, {
		page,
		dialect,
		at: input.at,
		target: state.view.name,
		windowSeconds: input.windowSeconds,
		version: input.version ?? null,
	});
	const {observation} = derived;
	const recent = appendRecent(state.recent, input.at, observation.signals);
	const familyNames = [...page.families.keys()];
	const evaluation = evaluate(state.alerts, {
		at: input.at,
		signals: observation.signals,
		recent,
		cacheConfig: observation.cache_config,
		scrapeError: null,
		health: input.health ?? 'unknown',
		restarted: observation.restarted,
		hasVllmMetrics: dialect !== null,
		dialect,
		foundFamilies: dialect === null ? familyGroups(familyNames) : [],
		deprecatedNames:
			dialect === 'sglang' ? [] : findDeprecatedNames(familyNames),
		instant: input.instant ?? false,
		engineCount: Math.max(1, observation.server.engines.length),
		perEngine: observation.per_engine,
		generation: observation.server.generation,
		...gpusOf(input),
	});
	const snapshot: Snapshot = {
		...observation,
		status: evaluation.status,
		alerts: evaluation.alerts,
		not_judged: rulesNotJudged(dialect),
		batch_fill: batchFill(
			observation.signals.batch_tokens,
			input.alertConfig?.maxNumBatchedTokens,
		),
		error: null,
	};
	return {
		view: {
			...state.view,
			phase: 'up',
			snapshot,
			history: appendHistory(
				state.view.history,
				historyPointOf(observation.signals),
			),
			lastScrape: {
				at: input.at,
				durationMs: input.result.durationMs,
				error: null,
			},
		},
		derive: derived.memory,
		alerts: evaluation.memory,
		recent,
	};
}

function reduceFailedScrape(
	state: TargetState,
	input: ScrapeInput,
	error: string,
	evaluate: AlertEvaluator,
): TargetState {
	const previous = state.view.snapshot;
	const evaluation = evaluate(state.alerts, {
		at: input.at,
		signals: null,
		recent: state.recent,
		cacheConfig: previous?.cache_config ?? null,
		scrapeError: error,
		health: input.health ?? 'unknown',
		restarted: false,
		hasVllmMetrics: previous !== null,
		deprecatedNames: [],
		instant: input.instant ?? false,
		engineCount: Math.max(1, previous?.server.engines.length ?? 1),
		generation: previous?.server.generation ?? null,
		...gpusOf(input),
	});
	return {
		view: {
			...state.view,
			phase: previous === null ? 'down' : 'stale',
			snapshot:
				previous === null
					? null
					: {
							...previous,
							status: evaluation.status,
							alerts: evaluation.alerts,
							error,
						},
			history: appendHistory(state.view.history, {}),
			lastScrape: {at: input.at, durationMs: input.result.durationMs, error},
		},
		derive: state.derive,
		alerts: evaluation.memory,
		recent: state.recent,
	};
}

/** Only a target with a GPU source gets the key: absent means the GPU rules have nothing to judge. */
function gpusOf(input: ScrapeInput): Pick<AlertInput, 'gpus'> {
	return input.gpus === undefined ? {} : {gpus: input.gpus};
}

function appendRecent(
	recent: RecentSignals,
	at: number,
	signals: Signals,
): RecentSignals {
	return appendBounded(
		recent,
		{at, signals: trendSignals(signals)},
		recentCapacity,
	);
}
