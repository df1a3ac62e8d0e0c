/**
A fleet's servers mostly publish the same cumulative series in the same order. A server's first scrape numbers each
of them, building a key per series; when its page has exactly the series of the last first scrape, in the same
places, it starts from a copy of that catalog and its layout instead. The numbering is the one the work would have
given (a catalog numbers series in page order), so this is a memo: no result depends on it.
*/
import type {Page} from '../parse/page.js';
import type {CurrentSeries} from './derive-memory.js';
import {sameLabels} from './same-labels.js';
import type {SeriesCatalog} from './series-catalog.js';

type Start = {
	readonly catalog: SeriesCatalog;
	readonly layout: ReadonlyMap<string, readonly CurrentSeries[]>;
};

let donor: Start | undefined;

/** Keeps a first scrape's catalog and layout for the next server, when they describe each other exactly. */
export function offerFirstScrape(start: Start): void {
	let entries = 0;
	for (const list of start.layout.values()) {
		entries += list.length;
	}

	// A page that repeats a series numbers it once: its layout no longer tells the numbering.
	if (entries === start.catalog.size()) {
		donor = {catalog: start.catalog.copy(), layout: start.layout};
	}
}

/** A copy of the last first scrape's catalog and its layout, when `page` has the same cumulative series in the same places. */
export function startFromDonor(
	page: Page,
	names: ReadonlySet<string>,
): Start | undefined {
	if (donor === undefined || !matches(donor.layout, page, names)) {
		return undefined;
	}

	return {catalog: donor.catalog.copy(), layout: donor.layout};
}

function matches(
	layout: ReadonlyMap<string, readonly CurrentSeries[]>,
	page: Page,
	names: ReadonlySet<string>,
): boolean {
	let present = 0;
	for (const name of names) {
		const samples = page.byName.get(name);
		const known = layout.get(name);
		if (samples === undefined) {
			if (known !== undefined) {
				return false;
			}

			continue;
		}

		if (known?.length !== samples.length) {
			return false;
		}

		present++;
		for (const [position, sample] of samples.entries()) {
			if (
				!Number.isFinite(sample.value) ||
				!sameLabels(known[position]!.labels, sample.labels)
			) {
				return false;
			}
		}
	}

	return present === layout.size;
}
