/**
The snapshot a report prints for a target: its last good one, or, for a target that never answered, a `down`
document with every signal null and the scrape error, so scripts always get the same shape.
*/
import {nullSignals} from '../catalog/signal-types.js';
import type {Snapshot} from '../pipeline/snapshot.js';
import {downAlert} from '../store/target-alerts.js';
import type {TargetView} from '../store/target-view.js';

export function reportSnapshot(
	view: TargetView,
	windowSeconds: number,
): Snapshot {
	if (view.snapshot !== null) {
		return view.snapshot;
	}

	const at = view.lastScrape?.at ?? Date.now();
	const error = view.lastScrape?.error ?? 'no scrape has answered yet';
	return {
		schema: 1,
		target: view.name,
		at: new Date(at).toISOString(),
		status: 'down',
		server: {
			dialect: null,
			version: null,
			models: [],
			engines: [],
			generation: null,
			started_at: null,
		},
		signals: nullSignals,
		cache_config: null,
		capacity: null,
		alerts: [downAlert(view)],
		not_judged: [],
		batch_fill: null,
		per_engine: [],
		engine_spread: null,
		per_model: [],
		restarted: false,
		window_seconds: windowSeconds,
		error,
	};
}
