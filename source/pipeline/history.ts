/**
Bounded sparkline history: one point per scrape and series, oldest first. A missing value (failed scrape, metric
absent) is a null point, so gaps stay visible instead of being drawn as zero.
*/
import {
	seriesIds,
	signalNumber,
	type SeriesId,
	type Signals,
} from '../catalog/signal-types.js';
import {signalCatalog} from '../catalog/signals.js';
import type {History} from '../store/target-view.js';

/** 20 minutes at the default 5 s interval. */
export const historyCapacity = 240;

type Points = ReadonlyArray<number | null>;

/** Builds a history series by series, one per history series of the signal catalog. */
export function mapSeries(make: (id: SeriesId) => Points): History {
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- one entry per series id
	return Object.fromEntries(seriesIds.map(id => [id, make(id)])) as History;
}

export {seriesIds} from '../catalog/signal-types.js';

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
		return appendBounded(
			history[id],
			typeof value === 'number' && Number.isFinite(value) ? value : null,
			keep,
		);
	});
}

/**
`[...items, item]` without its oldest entries beyond `keep`, made with one copy at its exact size: a fleet appends to
every list on every scrape, and each list is kept until the next.
*/
export function appendBounded<T>(
	items: readonly T[],
	item: T,
	keep: number,
): T[] {
	if (items.length < keep) {
		return [...items, item];
	}

	const next = items.slice(items.length - keep);
	next.copyWithin(0, 1);
	next[keep - 1] = item;
	return next;
}

const pointReaders: ReadonlyArray<
	readonly [SeriesId, (signals: Signals) => number | null]
> = signalCatalog.flatMap(signal => {
	if (!('history' in signal)) {
		return [];
	}

	const {key, history} = signal;
	const stat = 'stat' in history ? history.stat : undefined;
	return [
		[
			history.id,
			(signals: Signals) => signalNumber(signals, key, stat),
		] as const,
	];
});

/** The sparkline point of one scrape's signals. */
export function historyPointOf(
	signals: Signals,
): Partial<Record<SeriesId, number | null>> {
	return Object.fromEntries(
		pointReaders.map(([id, read]) => [id, read(signals)]),
	);
}
