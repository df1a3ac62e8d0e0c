/**
The `--prometheus` backend: the same store and views as direct scraping, filled from the Prometheus that already
scrapes the fleet. Every refresh is one query per panel for all instances; instances come and go as Prometheus
sees them, and a newly seen one opens with its sparklines backfilled from range queries.
*/
import type {AlertMemory, RecentSignals} from '../alerts/alert-input.js';
import {findDeprecatedNames} from '../catalog/deprecated-names.js';
import type {SeriesId} from '../catalog/signal-types.js';
import {signalCatalog} from '../catalog/signals.js';
import {evaluateAlerts} from '../alerts/evaluate-alerts.js';
import {trendSignals} from '../alerts/trend-signals.js';
import type {AlertConfig} from '../alerts/alert-config.js';
import type {Snapshot} from '../pipeline/snapshot.js';
import {createIntervalSetting} from '../scrape/interval.js';
import {
	createUpdateListeners,
	type PollingSession,
	settingActions,
	type UpdateListener,
} from '../session/session.js';
import {startPoller, type Poller} from '../scrape/poller.js';
import {
	appendHistory,
	historyPointOf,
	emptyHistory,
	historyCapacity,
} from '../pipeline/history.js';
import {historyFromColumns} from '../pipeline/history-from-columns.js';
import {
	initialMonitorState,
	type MonitorState,
} from '../store/monitor-state.js';
import {createStore} from '../store/store.js';
import type {TargetView} from '../store/target-view.js';
import {batchFill} from '../derive/batch-fill.js';
import {readFleet} from './fleet-reading.js';
import {instanceObservation} from './instance-observation.js';
import {
	instancePanelIds,
	keyedPanelIds,
	panelQueries,
	signalPanelIds,
	type InstancePanelId,
	type KeyedPanelId,
	type SignalPanelId,
} from './panel-queries.js';
import type {PrometheusClient} from './prometheus-client.js';

export type PrometheusSessionOptions = {
	readonly client: PrometheusClient;
	/** Label matchers every query carries, e.g. `{job="vllm"}`. */
	readonly match: string;
	/** @default 'instance' */
	readonly by?: string;
	readonly intervalMs: number;
	readonly windowSeconds: number;
	readonly alertConfig: AlertConfig;
	/** `rate()` window of the throughputs. @default '1m' */
	readonly rateWindow?: string;
	/** How far back the sparklines are filled on first sight, in seconds. @default 600 */
	readonly backfillSeconds?: number;
	/** A first `onUpdate` listener: called after each refresh for every instance, in the order of `targets`. */
	readonly onUpdate?: UpdateListener;
	/** Clock in ms (tests). @default Date.now */
	readonly now?: () => number;
};

type InstanceState = {
	readonly view: TargetView;
	readonly memory: AlertMemory | undefined;
	readonly recent: RecentSignals;
};

const recentLimit = 120;

/** The panel each history series is read from, to fill the sparklines of a newly seen instance. */
const historyPanels: ReadonlyArray<readonly [SeriesId, SignalPanelId]> =
	signalCatalog.flatMap(signal =>
		'history' in signal
			? [
					[
						signal.history.id,
						// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the panel ids of `signalPanels`
						('stat' in signal.history
							? `${signal.key}.${signal.history.stat}`
							: signal.key) as SignalPanelId,
					] as const,
				]
			: [],
	);

function emptyView(instance: string): TargetView {
	return {
		name: instance,
		url: instance,
		phase: 'starting',
		snapshot: null,
		history: emptyHistory(),
		lastScrape: null,
	};
}

export function createPrometheusSession(
	options: PrometheusSessionOptions,
): PollingSession {
	const {client, alertConfig} = options;
	const by = options.by ?? 'instance';
	const now = options.now ?? Date.now;
	const backfillSeconds = options.backfillSeconds ?? 600;
	const instances = new Map<string, InstanceState>();
	const interval = createIntervalSetting(options.intervalMs);
	const updates = createUpdateListeners(options.onUpdate);
	const store = createStore<MonitorState>(
		initialMonitorState([], {
			intervalMs: interval.get(),
			windowSeconds: options.windowSeconds,
			readOnly: true,
			thresholds: options.alertConfig.thresholds,
		}),
	);
	let poller: Poller | undefined;

	const queriesFor = (windowSeconds: number, slices: boolean) =>
		panelQueries({
			match: options.match,
			by,
			rateWindow: options.rateWindow ?? '1m',
			latencyWindow: `${windowSeconds}s`,
			slices,
		});

	/** Fills the sparklines of newly seen instances: one range query per series for all of them. */
	async function backfill(fresh: readonly string[], at: number): Promise<void> {
		if (fresh.length === 0 || backfillSeconds <= 0) {
			return;
		}

		// Instance totals only: the sparklines draw no engine or model slices.
		const queries = queriesFor(store.get().windowSeconds, false);
		const intervalSeconds = interval.get() / 1000;
		const step = Math.max(
			1,
			intervalSeconds,
			Math.ceil(backfillSeconds / historyCapacity),
		);
		const end = Math.floor(at / 1000);
		const start = end - backfillSeconds;
		const answers = await Promise.all(
			historyPanels.map(async ([, panel]) =>
				client.queryRange(queries[panel], start, end, step),
			),
		);
		const length = Math.floor((end - start) / step) + 1;
		// Each answer is laid out by instance once, so the cost is the points received, not instances x series.
		const columns = new Map<
			string,
			Partial<Record<SeriesId, Array<number | null>>>
		>();
		for (const [index, [id]] of historyPanels.entries()) {
			const answer = answers[index]!;
			if (!answer.ok) {
				continue;
			}

			for (const series of answer.series) {
				const instance = series.labels[by];
				if (instance === undefined) {
					continue;
				}

				const row = columns.get(instance) ?? {};
				const column =
					row[id] ?? Array.from<number | null>({length}).fill(null);
				for (const [time, value] of series.points) {
					const slot = Math.round((time - start) / step);
					if (slot >= 0 && slot < length) {
						column[slot] = value;
					}
				}

				row[id] = column;
				columns.set(instance, row);
			}
		}

		for (const instance of fresh) {
			const state = instances.get(instance);
			if (!state) {
				continue;
			}

			// Every series spans the whole range, so an instance with no answer opens with its gaps shown.
			const history = historyFromColumns({
				requests_running: Array.from<null>({length}).fill(null),
				...columns.get(instance),
			});
			instances.set(instance, {
				...state,
				view: {...state.view, history},
			});
		}
	}

	async function refresh(instant: boolean): Promise<void> {
		const started = now();
		const {windowSeconds} = store.get();
		const queries = queriesFor(windowSeconds, true);
		const ask = async <
			Panel extends SignalPanelId | KeyedPanelId | InstancePanelId,
		>(
			panels: readonly Panel[],
		) =>
			new Map(
				await Promise.all(
					panels.map(
						async panel => [panel, await client.query(queries[panel])] as const,
					),
				),
			);
		const [signalAnswers, keyedAnswers, instanceAnswers] = await Promise.all([
			ask(signalPanelIds),
			ask(keyedPanelIds),
			ask(instancePanelIds),
		]);
		const at = now();
		const durationMs = at - started;
		const discovery = instanceAnswers.get('servers');
		if (!discovery?.ok) {
			const error = discovery?.error ?? 'no discovery answer';
			// Prometheus itself is unreachable or refused: every instance goes stale, none is dropped.
			for (const [instance, state] of instances) {
				instances.set(instance, {
					...state,
					view: {
						...state.view,
						phase: state.view.snapshot === null ? 'down' : 'stale',
						lastScrape: {at, durationMs, error},
					},
				});
			}

			publish(error);
			return;
		}

		const reading = readFleet(signalAnswers, instanceAnswers, by, keyedAnswers);
		const fresh: string[] = [];
		for (const instance of reading.instances.keys()) {
			if (!instances.has(instance)) {
				instances.set(instance, {
					view: emptyView(instance),
					memory: undefined,
					recent: [],
				});
				fresh.push(instance);
			}
		}

		await backfill(fresh, at);
		for (const [instance, state] of instances) {
			const facts = reading.instances.get(instance);
			// An instance gone from Prometheus for longer than the history shown is dropped, so churn cannot pile up.
			const lastSeen = state.view.snapshot
				? Date.parse(state.view.snapshot.at)
				: at;
			if (facts === undefined && at - lastSeen > backfillSeconds * 1000) {
				instances.delete(instance);
				continue;
			}

			if (facts === undefined) {
				instances.set(instance, {
					...state,
					view: {
						...state.view,
						phase: state.view.snapshot === null ? 'down' : 'stale',
						history: appendHistory(state.view.history, {}),
						lastScrape: {
							at,
							durationMs,
							error: `no vLLM series for this ${by} in Prometheus`,
						},
					},
				});
				continue;
			}

			const observation = instanceObservation({
				reading,
				instance,
				facts,
				at,
				windowSeconds,
				previousStartedAt: state.view.snapshot?.server.started_at ?? null,
			});
			const {signals} = observation;
			const recent = [
				...state.recent,
				{at, signals: trendSignals(signals)},
			].slice(-recentLimit);
			const evaluation = evaluateAlerts(
				state.memory,
				{
					at,
					signals,
					recent,
					cacheConfig: observation.cache_config,
					scrapeError: null,
					health: 'unknown',
					restarted: observation.restarted,
					hasVllmMetrics: true,
					deprecatedNames: findDeprecatedNames(facts.families),
					instant,
					engineCount: Math.max(1, observation.server.engines.length),
					perEngine: observation.per_engine,
					generation: observation.server.generation,
				},
				alertConfig,
			);
			const snapshot: Snapshot = {
				...observation,
				status: evaluation.status,
				alerts: evaluation.alerts,
				not_judged: [],
				batch_fill: batchFill(
					observation.signals.batch_tokens,
					alertConfig.maxNumBatchedTokens,
				),
				error: null,
			};
			instances.set(instance, {
				memory: evaluation.memory,
				recent,
				view: {
					...state.view,
					phase: 'up',
					snapshot,
					history: appendHistory(state.view.history, historyPointOf(signals)),
					lastScrape: {at, durationMs, error: null},
				},
			});
		}

		publish(
			reading.instances.size === 0
				? `no vLLM instance in Prometheus matches ${options.match === '' ? 'vllm:num_requests_running' : options.match}`
				: null,
		);
	}

	/** Instances in name order, so a refresh never reshuffles the rows or the selection. */
	function publish(message: string | null): void {
		const names = [...instances.keys()].toSorted();
		store.update(current => {
			const selectedName = current.targets[current.selected]?.name;
			const selected = Math.max(0, names.indexOf(selectedName ?? ''));
			return {
				...current,
				targets: names.map(name => instances.get(name)!.view),
				selected,
				message,
			};
		});
		for (const [index, name] of names.entries()) {
			updates.notify(index, instances.get(name)!.view);
		}
	}

	return {
		store,
		start() {
			poller ??= startPoller({
				intervalMs: interval.get,
				// The store changes with every interval change: the pending wait is measured again.
				subscribe: store.subscribe,
				run: async () => refresh(false),
			});
		},
		async scrapeAllOnce(scrapeOptions) {
			await refresh(scrapeOptions?.instant ?? false);
		},
		scrapeNow() {
			poller?.now();
		},
		...settingActions(store, interval),
		onUpdate: updates.add,
		stop() {
			poller?.stop();
			poller = undefined;
		},
	};
}
