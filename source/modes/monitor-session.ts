/**
The live loop behind every watching mode (full-screen, plain, JSON): one poller per target, so a slow or dead target
never delays the others; each result goes through the pure `ingestScrape` and lands in the store as a new value.
`/version` and `/health` are asked at start and then once a minute, not on every scrape.
*/
import type {HealthState} from '../alerts/alert-input.js';
import type {AlertConfig} from '../alerts/alert-config.js';
import type {ExpositionFormat} from '../parse/page.js';
import type {OptimizerPolicy} from '../runtime/optimizer-policy.js';
import {startPoller, type Poller} from '../scrape/poller.js';
import type {ScrapeClient} from '../scrape/scrape-client.js';
import type {ScrapeResult} from '../scrape/scrape-result.js';
import {ingestScrape} from '../pipeline/ingest-scrape.js';
import {
	clampInterval,
	initialMonitorState,
	type MonitorState,
} from '../store/monitor-state.js';
import {createStore, type Store} from '../store/store.js';
import {
	initialTargetState,
	type TargetState,
} from '../pipeline/target-reducer.js';
import type {TargetView} from '../store/target-view.js';

export type TargetSpec = {
	readonly name: string;
	/** The /metrics URL. */
	readonly url: string;
	/** Origin plus path prefix, for /health, /version and the profiler. */
	readonly base: string;
	/** This target's own API key (targets file); otherwise the client's. */
	readonly apiKey?: string;
	/** This target's `--max-num-seqs` (targets file); otherwise the alert config's. */
	readonly maxNumSeqs?: number;
};

export type ServerMeta = {
	readonly version: string | null;
	readonly health: HealthState;
	/** HTTP status of /health, when it answered. */
	readonly healthStatus: number | null;
	/** Why /health could not be read. */
	readonly healthError: string | null;
};

/** `/health` as the alerts read it: 5xx is an unhealthy engine; no answer says nothing. */
export function healthFromStatus(
	status: number | null | undefined,
): HealthState {
	if (status === null || status === undefined) {
		return 'unknown';
	}

	return status >= 500 ? 'unhealthy' : status < 300 ? 'ok' : 'unknown';
}

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
	/** Called after a target's view changed (line-oriented output). */
	readonly onUpdate?: (index: number, view: TargetView) => void;
	/** How long `/version` and `/health` answers are trusted. */
	readonly metaRefreshMs?: number;
	/** Told the bytes scraped per second after every scrape (the live modes pass `createOptimizerPolicy()`). */
	readonly optimizer?: Pick<OptimizerPolicy, 'observe'>;
};

export type MonitorSession = {
	readonly store: Store<MonitorState>;
	/** Starts polling every target. */
	start(): void;
	/** Scrapes every target once, now, and resolves when all have answered (used by `--once`). */
	scrapeAllOnce(options?: {readonly instant?: boolean}): Promise<void>;
	scrapeNow(): void;
	setIntervalMs(ms: number): void;
	cycleWindow(): void;
	stop(): void;
};

/** The `w` key's ladder of latency windows. */
export const windowStepsSeconds: readonly number[] = [60, 300, 900];

/** The window after `current` on the `w` ladder. */
export function nextWindowSeconds(current: number): number {
	const index = windowStepsSeconds.indexOf(current);
	return (
		windowStepsSeconds[(index + 1) % windowStepsSeconds.length] ??
		windowStepsSeconds[0]!
	);
}

/** The interval and window keys change the store alone, whatever feeds it: direct scraping or Prometheus. */
export function settingActions(
	store: Store<MonitorState>,
): Pick<MonitorSession, 'setIntervalMs' | 'cycleWindow'> {
	return {
		setIntervalMs(ms) {
			store.update(current => ({...current, intervalMs: clampInterval(ms)}));
		},
		cycleWindow() {
			store.update(current => ({
				...current,
				windowSeconds: nextWindowSeconds(current.windowSeconds),
			}));
		},
	};
}

const defaultMetaRefreshMs = 60_000;
const defaultMaxInFlight = 32;

/** A counting semaphore: at most `limit` scrapes wait on the network at once, the rest queue in order. */
function createSlots(limit: number): {
	run<T>(task: () => Promise<T>): Promise<T>;
} {
	let free = Math.max(1, limit);
	const queue: Array<() => void> = [];
	return {
		async run(task) {
			if (free === 0) {
				await new Promise<void>(resolve => {
					queue.push(resolve);
				});
			} else {
				free--;
			}

			try {
				return await task();
			} finally {
				const next = queue.shift();
				if (next) {
					next();
				} else {
					free++;
				}
			}
		},
	};
}

function parseVersion(json: unknown): string | null {
	if (typeof json === 'object' && json !== null && 'version' in json) {
		const {version} = json;
		return typeof version === 'string' ? version.slice(0, 64) : null;
	}

	return null;
}

export function createMonitorSession(
	options: MonitorSessionOptions,
): MonitorSession {
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
	const store = createStore(
		initialMonitorState(
			states.map(state => state.view),
			{
				intervalMs: clampInterval(options.intervalMs),
				windowSeconds: options.windowSeconds,
				readOnly: options.readOnly ?? false,
			},
		),
	);
	const pollers: Poller[] = [];
	/** Characters of each target's last page (a page is ASCII in practice, so bytes). */
	const pageSizes = targets.map(() => 0);
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
		const target = targets[index]!;
		const result = await slots.run(async () =>
			clientFor(target).scrape(target.url, signal),
		);
		if (signal?.aborted) {
			return;
		}

		// A target that just came back (or came up) is asked again at once: it may be a new version.
		const cameBack = result.ok && states[index]!.view.phase !== 'up';
		const serverMeta = result.ok
			? await refreshMeta(index, target, cameBack)
			: meta[index]!;
		options.onResult?.(target, result, serverMeta);
		const state = ingestScrape(states[index]!, result, {
			windowSeconds: store.get().windowSeconds,
			alertConfig: alertConfigs[index]!,
			format: options.format,
			version: serverMeta.version,
			health: serverMeta.health,
			instant,
		});
		states[index] = state;
		if (result.ok) {
			pageSizes[index] = result.body.length;
		}

		const intervalSeconds = store.get().intervalMs / 1000;
		options.optimizer?.observe(
			pageSizes.reduce((total, size) => total + size, 0) / intervalSeconds,
		);
		store.update(current => ({
			...current,
			targets: current.targets.map((view, i) =>
				i === index ? state.view : view,
			),
		}));
		options.onUpdate?.(index, state.view);
	}

	return {
		store,
		start() {
			for (const [index] of targets.entries()) {
				pollers.push(
					startPoller({
						intervalMs: () => store.get().intervalMs,
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
		...settingActions(store),
		stop() {
			for (const poller of pollers.splice(0)) {
				poller.stop();
			}
		},
	};
}
