/**
A history built in one pass from whole series already known, such as a range query's answer. Appending point by
point copies every series once per point; this gives the history `appendHistory` would, at a fraction of the cost,
which is what lets hundreds of instances open with their sparklines filled.
*/
import type {History, SeriesId} from '../store/target-view.js';
import {historyCapacity, mapSeries} from './history.js';

/**
The history of appending, in order, the points whose values per series are `columns` (oldest first): every series
gets the length of the longest column, a missing series or value (or a non-finite one) is a null point, and only the
newest `capacity` points are kept.
*/
export function historyFromColumns(
	columns: Partial<Record<SeriesId, ReadonlyArray<number | null | undefined>>>,
	capacity: number = historyCapacity,
): History {
	const keep = Math.max(1, Math.floor(capacity));
	const length = Math.max(
		0,
		...Object.values(columns).map(column => column?.length ?? 0),
	);
	const first = Math.max(0, length - keep);
	return mapSeries(id => {
		const column = columns[id];
		const series: Array<number | null> = [];
		for (let index = first; index < length; index++) {
			const value = column?.[index];
			series.push(
				typeof value === 'number' && Number.isFinite(value) ? value : null,
			);
		}

		return series;
	});
}
