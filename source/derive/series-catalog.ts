/**
Numbers every cumulative series (one sample name plus one label set) once, so readings can be plain Float64Arrays
instead of string-keyed maps: a reading per scrape then costs 8 bytes per series.

The catalog only ever grows and an index never changes meaning, so every memory that shares it stays valid: an
older reading simply has no slot for a series first seen later (read as "absent").
*/
import type {Labels} from '../parse/page.js';

export type SeriesInfo = {
	readonly name: string;
	readonly labels: Labels;
	/** The parsed `le` label of a `_bucket` series, NaN otherwise. */
	readonly upperBound: number;
};

export type SeriesCatalog = {
	readonly indexOf: (key: string) => number | undefined;
	readonly info: (index: number) => SeriesInfo;
	readonly size: () => number;
	/** Returns the index of the series, numbering it if it is new. */
	readonly intern: (key: string, info: SeriesInfo) => number;
};

export function createSeriesCatalog(): SeriesCatalog {
	const indexes = new Map<string, number>();
	const infos: SeriesInfo[] = [];
	return {
		indexOf: key => indexes.get(key),
		info(index) {
			const info = infos[index];
			if (info === undefined) {
				throw new RangeError(`series ${index} is not in the catalog`);
			}

			return info;
		},
		size: () => infos.length,
		intern(key, info) {
			const known = indexes.get(key);
			if (known !== undefined) {
				return known;
			}

			infos.push(info);
			indexes.set(key, infos.length - 1);
			return infos.length - 1;
		},
	};
}

/** Identity of a series: its name and its labels in a fixed order. */
export function seriesKey(name: string, labels: Labels): string {
	const names = Object.keys(labels).toSorted();
	let key = name;
	for (const label of names) {
		key += `\u0000${label}\u0001${labels[label]!}`;
	}

	return key;
}

/** `le` values as prometheus_client prints them: `0.5`, `1.0`, `1e+03`, `+Inf`. */
export function parseBound(text: string | undefined): number {
	if (text === undefined) {
		return Number.NaN;
	}

	const trimmed = text.trim().toLowerCase();
	if (trimmed === '+inf' || trimmed === 'inf') {
		return Number.POSITIVE_INFINITY;
	}

	if (trimmed === '-inf') {
		return Number.NEGATIVE_INFINITY;
	}

	return trimmed === '' ? Number.NaN : Number(trimmed);
}
