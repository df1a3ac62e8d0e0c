/**
The live loop behind every watching mode (full-screen, plain, JSON): one poller per target, so a slow or dead target
never delays the others; a large fleet's pollers are spread over the interval in waves (`round-waves.ts`). Each result
goes through the pure `ingestScrape` and lands in the store as a new value, the views of one wave together
(`view-batch.ts`), so the view draws once per wave.
`/version` and `/health` are asked at start and then once a minute, not on every scrape.
*/
import type {AlertConfig} from '../alerts/alert-config.js';
import type {ExpositionFormat} from '../parse/page.js';
import {gpusToJudge} from '../gpu/gpu-panel.js';
import {ingestScrape} from '../pipeline/ingest-scrape.js';
import {
	initialTargetState,
	type TargetState,
} from '../pipeline/target-reducer.js';
import {createIntervalSetting} from '../scrape/interval.js';
import {startPoller, type Poller} from '../scrape/poller.js';
import type {ScrapeClient} from '../scrape/scrape-client.js';
import type {ScrapeResult} from '../scrape/scrape-result.js';
import {initialMonitorState} from '../store/monitor-state.js';
import {createStore} from '../store/store.js';
import type {TargetView} from '../store/target-view.js';
import {healthFromStatus, type ServerMeta} from './server-meta.js';
import {
	createUpdateListeners,
	type PollingSession,
	settingActions,
	type UpdateListener,
} from './session.js';
import {wavePhase} from './round-waves.js';
import {createSlots} from './slots.js';
import type {TargetSpec} from './target-spec.js';
import {createViewBatch} from './view-batch.js';

export type MonitorSessionOptions = {
	readonly targets: readonly TargetSpec[];
	/** The client that scrapes a target (targets with their own API key get their own client). */
	readonly clientFor: (target: TargetSpec) => ScrapeClient;
	/** Scrapes in flight at once across all targets; each target still has its own poller and deadline. */
	readonly maxInFlight?: number;
	readonly intervalMs: number;
	readonly windowSeconds: number;
	readonly alertConfig: AlertConfig;
	readonly format?: ExpositionFormat;
	readonly readOnly?: boolean;
	/** Called when `/version` and `/health` were asked again (recording). */
	readonly onMeta?: (target: TargetSpec, meta: ServerMeta, at: number) => void;
	/** Called with every raw result, before it is ingested (recording). */
	readonly onResult?: (
		target: TargetSpec,
		result: ScrapeResult,
		meta: ServerMeta,
	) => void;
	/** A first `onUpdate` listener. */
	readonly onUpdate?: UpdateListener;
	/** How long `/version` and `/health` answers are trusted. */
	readonly metaRefreshMs?: number;
};

const defaultMetaRefreshMs = 60_000;
const defaultMaxInFlight = 32;

function parseVersion(json: unknown): string | null {
	if (typeof json === 'object' && json !== null && 'version' in json) {
		const {version} = json;
		return typeof version === 'string' ? version.slice(0, 64) : null;
	}

	return null;
}

export function createMonitorSession(
	options: MonitorSessionOptions,
): PollingSession {
	const {clientFor, targets} = options;
	const slots = createSlots(options.maxInFlight ?? defaultMaxInFlight);
	const alertConfigs = targets.map(target =>
		target.maxNumSeqs === undefined
			? options.alertConfig
			: {...options.alertConfig, maxNumSeqs: target.maxNumSeqs},
	);
	const states: TargetState[] = targets.map(target =>
		initialTargetState(target.name, target.url),
	);
	const meta: Array<ServerMeta & {readonly askedAt: number}> = targets.map(
		() => ({
			version: null,
			health: 'unknown',
			healthStatus: null,
			healthError: null,
			askedAt: Number.NEGATIVE_INFINITY,
		}),
	);
	const interval = createIntervalSetting(options.intervalMs);
	const updates = createUpdateListeners(options.onUpdate);
	const store = createStore(
		initialMonitorState(
			states.map(state => state.view),
			{
				intervalMs: interval.get(),
				windowSeconds: options.windowSeconds,
				readOnly: options.readOnly ?? false,
				thresholds: options.alertConfig.thresholds,
			},
		),
	);
	const pollers: Poller[] = [];
	const batch = createViewBatch(store);
	const metaRefreshMs = options.metaRefreshMs ?? defaultMetaRefreshMs;

	async function refreshMeta(
		index: number,
		target: TargetSpec,
		force: boolean,
	): Promise<ServerMeta> {
		const known = meta[index]!;
		if (!force && Date.now() - known.askedAt < metaRefreshMs) {
			return known;
		}

		const client = clientFor(target);
		const [version, health] = await Promise.all([
			client.getJson(`${target.base}/version`, {maxBytes: 64 * 1024}),
			client.probe(`${target.base}/health`),
		]);
		const healthStatus = health.ok ? health.status : null;
		const next = {
			version: version.ok
				? (parseVersion(version.json) ?? known.version)
				: known.version,
			health: healthFromStatus(healthStatus),
			healthStatus,
			healthError: health.ok ? null : health.message,
			askedAt: Date.now(),
		};
		meta[index] = next;
		options.onMeta?.(target, next, next.askedAt);
		return next;
	}

	async function scrapeTarget(
		index: number,
		instant: boolean,
		signal?: AbortSignal,
	): Promise<void> {
		batch.begin();
		let view: TargetView | undefined;
		try {
			view = await scrapeAndIngest(index, instant, signal);
		} finally {
			batch.end(index, view);
		}

		if (view) {
			updates.notify(index, view);
		}
	}

	/** The target's new view, or undefined when the scrape was abandoned. */
	async function scrapeAndIngest(
		index: number,
		instant: boolean,
		signal?: AbortSignal,
	): Promise<TargetView | undefined> {
		const target = targets[index]!;
		const result = await slots.run(async () =>
			clientFor(target).scrape(target.url, signal),
		);
		if (signal?.aborted) {
			return undefined;
		}

		// A target that just came back (or came up) is asked again at once: it may be a new version.
		const cameBack = result.ok && states[index]!.view.phase !== 'up';
		const serverMeta = result.ok
			? await refreshMeta(index, target, cameBack)
			: meta[index]!;
		options.onResult?.(target, result, serverMeta);
		const gpuPanel = store.get().gpus?.[index];
		const state = ingestScrape(states[index]!, result, {
			windowSeconds: store.get().windowSeconds,
			alertConfig: alertConfigs[index]!,
			format: options.format,
			version: serverMeta.version,
			health: serverMeta.health,
			instant,
			...(gpuPanel === undefined ? {} : {gpus: gpusToJudge(gpuPanel)}),
		});
		states[index] = state;
		return state.view;
	}

	return {
		store,
		start() {
			for (const [index] of targets.entries()) {
				pollers.push(
					startPoller({
						intervalMs: interval.get,
						// The store changes with every interval change: the pending wait is measured again.
						subscribe: store.subscribe,
						phase: () => wavePhase(index, targets.length, interval.get()),
						run: async signal => scrapeTarget(index, false, signal),
					}),
				);
			}
		},
		async scrapeAllOnce(scrapeOptions) {
			await Promise.all(
				targets.map(async (_, index) =>
					scrapeTarget(index, scrapeOptions?.instant ?? false),
				),
			);
		},
		scrapeNow() {
			for (const poller of pollers) {
				poller.now();
			}
		},
		...settingActions(store, interval),
		onUpdate: updates.add,
		stop() {
			batch.stop();
			for (const poller of pollers.splice(0)) {
				poller.stop();
			}
		},
	};
}
