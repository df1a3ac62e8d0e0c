/**
Feeds recorded entries through the same `ingestScrape` the live session uses, into the same kind of store, with the
recorded times driving rates, windows and alert durations. Targets appear as the recording names them.
*/
import type {AlertConfig} from '../alerts/alert-config.js';
import type {ExpositionFormat} from '../parse/page.js';
import type {RecordedEntry} from '../record/record-line.js';
import {ingestScrape} from '../pipeline/ingest-scrape.js';
import {
	initialMonitorState,
	type MonitorState,
} from '../store/monitor-state.js';
import {createStore, type Store} from '../store/store.js';
import {
	initialTargetState,
	type TargetState,
} from '../pipeline/target-reducer.js';
import {
	emptyGpuPanel,
	type GpuPanel,
	gpusToJudge,
	nextGpuPanel,
	placePanel,
} from '../gpu/gpu-panel.js';
import type {RecordedGpu} from '../record/gpu-record.js';
import {healthFromStatus} from './server-meta.js';
import {createUpdateListeners, type UpdateListener} from './session.js';

export type ReplaySessionOptions = {
	readonly windowSeconds: number;
	readonly alertConfig: AlertConfig;
	readonly format?: ExpositionFormat;
	readonly intervalMs: number;
	/** A first `onUpdate` listener. */
	readonly onUpdate?: UpdateListener;
};

export type ReplaySession = {
	readonly store: Store<MonitorState>;
	/**
	One recorded entry: a scrape goes through the pipeline; a meta record is remembered for the next scrapes, and a GPU
	poll goes to the panel of the targets it names (those already seen) and to their next scrapes' GPU rules.
	*/
	feed(entry: RecordedEntry): void;
	/** Calls `listener` after a target's view changed, until the returned function is called. */
	onUpdate(listener: UpdateListener): () => void;
};

type ReplayTarget = {
	readonly index: number;
	state: TargetState;
	version: string | null;
	healthStatus: number | null;
};

export function createReplaySession(
	options: ReplaySessionOptions,
): ReplaySession {
	const updates = createUpdateListeners(options.onUpdate);
	const store = createStore(
		initialMonitorState([], {
			intervalMs: options.intervalMs,
			windowSeconds: options.windowSeconds,
			readOnly: true,
		}),
	);
	const targets = new Map<string, ReplayTarget>();
	const targetFor = (name: string, url: string): ReplayTarget => {
		let target = targets.get(name);
		if (target === undefined) {
			target = {
				index: targets.size,
				state: initialTargetState(name, url),
				version: null,
				healthStatus: null,
			};
			targets.set(name, target);
			const {view} = target.state;
			store.update(current => ({
				...current,
				targets: [...current.targets, view],
			}));
		}

		return target;
	};

	const gpus = gpuFeeder(
		store,
		name => targets.get(name)?.index,
		() => targets.size,
	);
	return {
		store,
		onUpdate: updates.add,
		feed(entry) {
			if (entry.type === 'gpu') {
				gpus.feed(entry);
				return;
			}

			if (entry.type === 'meta') {
				const target = targetFor(entry.name, entry.meta.url);
				target.version = entry.meta.version ?? target.version;
				target.healthStatus = entry.meta.healthStatus ?? null;
				return;
			}

			const target = targetFor(entry.name, entry.result.url);
			const gpuPanel = gpus.placeFor(entry.name);
			target.state = ingestScrape(target.state, entry.result, {
				windowSeconds: store.get().windowSeconds,
				alertConfig: options.alertConfig,
				format: options.format,
				version: target.version,
				health: healthFromStatus(target.healthStatus),
				...(gpuPanel === undefined ? {} : {gpus: gpusToJudge(gpuPanel)}),
			});
			const {index} = target;
			const {view} = target.state;
			store.update(current => ({
				...current,
				targets: current.targets.map((old, i) => (i === index ? view : old)),
			}));
			updates.notify(index, view);
		},
	};
}

type GpuFeeder = {
	feed(entry: RecordedGpu): void;
	/** The panel that describes the target `name`, placed in the store at its index; undefined without one. */
	placeFor(name: string): GpuPanel | undefined;
};

/**
Each GPU source's panel, moved on by each recorded poll and placed at the targets it names. A poll recorded before a
target's first scrape (a first poll usually answers first) waits for that target to appear.
*/
function gpuFeeder(
	store: Store<MonitorState>,
	indexOf: (name: string) => number | undefined,
	targetCount: () => number,
): GpuFeeder {
	const panels = new Map<string, GpuPanel>();
	const byName = new Map<string, GpuPanel>();
	const place = (name: string, panel: GpuPanel) => {
		const index = indexOf(name);
		if (index !== undefined && store.get().gpus?.[index] !== panel) {
			store.update(current => ({
				...current,
				gpus: placePanel(current.gpus, [index], panel, targetCount()),
			}));
		}
	};

	return {
		feed(entry) {
			const panel = nextGpuPanel(
				panels.get(entry.source) ?? emptyGpuPanel(entry.source),
				entry.outcome,
				entry.at,
			);
			panels.set(entry.source, panel);
			for (const name of entry.names) {
				byName.set(name, panel);
				place(name, panel);
			}
		},
		placeFor(name) {
			const panel = byName.get(name);
			if (panel !== undefined) {
				place(name, panel);
			}

			return panel;
		},
	};
}
