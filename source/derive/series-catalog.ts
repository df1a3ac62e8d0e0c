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
	/** A catalog of its own with the same numbering so far. */
	readonly copy: () => SeriesCatalog;
};

/**
`owned` false: the storage is shared with the catalog this one was copied from (or copied to), and is copied before
the first new series is numbered. A fleet's servers copy one catalog and mostly never add to it.
*/
export function createSeriesCatalog(
	from?: {
		readonly indexes: Map<string, number>;
		readonly infos: SeriesInfo[];
	},
	owned = true,
): SeriesCatalog {
	let indexes = from?.indexes ?? new Map<string, number>();
	let infos = from?.infos ?? [];
	let own = owned;
	const catalog: SeriesCatalog = {
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

			if (!own) {
				indexes = new Map(indexes);
				infos = [...infos];
				own = true;
			}

			const shared = sharedSeries(key, info);
			infos.push(shared.info);
			indexes.set(shared.key, infos.length - 1);
			return infos.length - 1;
		},
		copy() {
			own = false;
			return createSeriesCatalog({indexes, infos}, false);
		},
	};
	return catalog;
}

/** Identity of a series: its name and its labels in a fixed order. */
export function seriesKey(name: string, labels: Labels): string {
	const pieces = [name];
	for (const label of Object.keys(labels).toSorted()) {
		pieces.push(`\u0000${label}\u0001${labels[label]!}`);
	}

	// One flat string: built with `+=` it would be a rope of every piece, kept for as long as the key.
	return pieces.join('');
}

type SharedSeries = {readonly key: string; readonly info: SeriesInfo};

/**
Series met by any catalog, by key: the servers of a fleet mostly publish the same series, and each catalog then holds
the one key and one (immutable) info rather than copies of its own. A memo only: when it is full it starts again,
which costs sharing, never a result.
*/
const shared = new Map<string, SharedSeries>();
const sharedLimit = 200_000;

function sharedSeries(key: string, info: SeriesInfo): SharedSeries {
	const known = shared.get(key);
	if (known !== undefined && sameInfo(known.info, info)) {
		return known;
	}

	if (shared.size >= sharedLimit) {
		shared.clear();
	}

	const entry = {key, info};
	shared.set(key, entry);
	return entry;
}

/** Same key means same name and labels; the bound is parsed from them, NaN where there is none. */
function sameInfo(a: SeriesInfo, b: SeriesInfo): boolean {
	return Object.is(a.upperBound, b.upperBound);
}

/** The key as the shared catalog holds it, so a memory keyed by series shares its keys too. */
export function sharedKey(key: string): string {
	return shared.get(key)?.key ?? key;
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
