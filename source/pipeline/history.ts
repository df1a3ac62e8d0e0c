/**
Bounded sparkline history: one point per scrape and series, oldest first. A missing value (failed scrape, metric
absent) is a null point, so gaps stay visible instead of being drawn as zero.
*/
import type {Signals} from '../derive/snapshot.js';
import type {History, SeriesId} from '../store/target-view.js';

/** 20 minutes at the default 5 s interval. */
export const historyCapacity = 240;

type Points = ReadonlyArray<number | null>;

/** Builds a history series by series, so the result is checked against `SeriesId` without a cast. */
export function mapSeries(make: (id: SeriesId) => Points): History {
	return {
		prompt_tokens_per_s: make('prompt_tokens_per_s'),
		generation_tokens_per_s: make('generation_tokens_per_s'),
		kv_cache_usage: make('kv_cache_usage'),
		requests_running: make('requests_running'),
		requests_waiting: make('requests_waiting'),
		requests_swapped: make('requests_swapped'),
		ttft_p95: make('ttft_p95'),
		itl_p95: make('itl_p95'),
		preemptions_per_s: make('preemptions_per_s'),
	};
}

export const seriesIds: readonly SeriesId[] = [
	'prompt_tokens_per_s',
	'generation_tokens_per_s',
	'kv_cache_usage',
	'requests_running',
	'requests_waiting',
	'requests_swapped',
	'ttft_p95',
	'itl_p95',
	'preemptions_per_s',
];

export function emptyHistory(): History {
	return mapSeries(() => []);
}

/** Appends one point to every series (null where `point` has no finite value), keeping the newest `capacity`. */
export function appendHistory(
	history: History,
	point: Partial<Record<SeriesId, number | null>>,
	capacity: number = historyCapacity,
): History {
	const keep = Math.max(1, Math.floor(capacity));
	return mapSeries(id => {
		const value = point[id];
		const next = [
			...history[id],
			typeof value === 'number' && Number.isFinite(value) ? value : null,
		];
		return next.length > keep ? next.slice(next.length - keep) : next;
	});
}

/** The sparkline point of one scrape's signals. */
export function historyPointOf(
	signals: Signals,
): Partial<Record<SeriesId, number | null>> {
	return {
		prompt_tokens_per_s: signals.prompt_tokens_per_s,
		generation_tokens_per_s: signals.generation_tokens_per_s,
		kv_cache_usage: signals.kv_cache_usage,
		requests_running: signals.requests_running,
		requests_waiting: signals.requests_waiting,
		requests_swapped: signals.requests_swapped,
		ttft_p95: signals.ttft_seconds?.p95 ?? null,
		itl_p95: signals.itl_seconds?.p95 ?? null,
		preemptions_per_s: signals.preemptions_per_s,
	};
}
