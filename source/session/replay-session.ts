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
	/** One recorded entry: a scrape goes through the pipeline, a meta record is remembered for the next scrapes. */
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

	return {
		store,
		onUpdate: updates.add,
		feed(entry) {
			if (entry.type === 'meta') {
				const target = targetFor(entry.name, entry.meta.url);
				target.version = entry.meta.version ?? target.version;
				target.healthStatus = entry.meta.healthStatus ?? null;
				return;
			}

			const target = targetFor(entry.name, entry.result.url);
			target.state = ingestScrape(target.state, entry.result, {
				windowSeconds: store.get().windowSeconds,
				alertConfig: options.alertConfig,
				format: options.format,
				version: target.version,
				health: healthFromStatus(target.healthStatus),
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
