/**
What derive remembers between scrapes: past cumulative readings (counters, histogram buckets, sums and counts), so
rates can use the previous scrape and windowed quantiles the reading closest to `at - window`.

Each reading stores reset-corrected cumulative values: whenever a series went down (the server restarted) its
increase is its new value, as in Prometheus, and the corrected value keeps climbing. The increase over any span is
then one subtraction, and a restart inside the window is accounted for exactly as `increase()` would.
*/
import type {Labels, Page} from '../parse/page.js';
import {cumulativeSampleNames} from '../catalog/cumulative-names.js';
import {counterIncrease} from './counter-delta.js';
import {offerFirstScrape, startFromDonor} from './first-scrape-donor.js';
import {
	appendRing,
	emptyRing,
	ringAt,
	ringItems,
	ringSize,
	type PersistentRing,
} from './persistent-ring.js';
import {
	createSeriesCatalog,
	parseBound,
	seriesKey,
	sharedKey,
	type SeriesCatalog,
} from './series-catalog.js';
import {sameLabels} from './same-labels.js';
import {thinReadings} from './thin-readings.js';

export type Reading = {
	/** Epoch ms of the scrape. */
	readonly at: number;
	/** Reset-corrected cumulative value per catalog index; NaN or past the end where the series was never seen. */
	readonly corrected: Float64Array;
};

export type DeriveMemory = {
	readonly catalog: SeriesCatalog;
	/** Raw values of the last page; series missing from it keep their last value, so a comeback can be compared. */
	readonly raw: Float64Array;
	/** Oldest first; the newest is the last scrape. */
	readonly readings: PersistentRing<Reading>;
	/** `_created` values of vLLM series by series key: a change means the series was re-created by a restart. */
	readonly created: ReadonlyMap<string, number>;
	readonly processStart: number | null;
	/** Epoch ms each catalog series was last on a page; NaN or past the end where never. */
	readonly seenAt: Float64Array;
	/** The cumulative series of the last page: the next page almost always lists the same ones in the same order. */
	readonly layout: ReadonlyMap<string, readonly CurrentSeries[]>;
};

/** A cumulative series present on the current page. */
export type CurrentSeries = {
	readonly index: number;
	readonly labels: Labels;
	/** Parsed `le` for `_bucket` series, NaN otherwise. */
	readonly upperBound: number;
};

/** The increase between an earlier reading (or the start of the process) and now. */
export type Span = {
	/** Null: from zero, i.e. everything counted since the process started. */
	readonly from: Float64Array | null;
	/** Seconds between the two readings; null when spanning from the start of the process. */
	readonly seconds: number | null;
};

export type RecordedScrape = {
	readonly memory: DeriveMemory;
	readonly current: Reading;
	/** Cumulative series on this page by sample name. */
	readonly series: ReadonlyMap<string, readonly CurrentSeries[]>;
	/** Since the previous scrape; null on the first one. */
	readonly previous: Span | null;
	/** Since the reading closest to `at - window`; null on the first scrape. */
	readonly window: Span | null;
	readonly restarted: boolean;
};

/** Never more readings than this, whatever the window (one hour at 5 s). */
export const maxReadings = 720;
/** Readings are kept for at least this long so a longer window can be chosen without waiting. */
const minimumRetentionSeconds = 300;

export function recordScrape(
	earlier: DeriveMemory | undefined,
	page: Page,
	at: number,
	windowSeconds: number,
	names: ReadonlySet<string> = cumulativeSampleNames,
): RecordedScrape {
	const retentionMs = Math.max(windowSeconds, minimumRetentionSeconds) * 1000;
	const memory =
		earlier === undefined
			? undefined
			: forgetGoneSeries(earlier, at - retentionMs);
	const start = memory ?? startFromDonor(page, names);
	const catalog = start?.catalog ?? createSeriesCatalog();
	const series = new Map<string, CurrentSeries[]>();
	// Catalog index and value of each cumulative sample on the page, side by side.
	const indexes: number[] = [];
	const values: number[] = [];
	for (const name of names) {
		const samples = page.byName.get(name);
		if (samples === undefined) {
			continue;
		}

		const isBucket = name.endsWith('_bucket');
		const before = start?.layout.get(name);
		const list: CurrentSeries[] = [];
		let position = -1;
		for (const sample of samples) {
			position++;
			if (!Number.isFinite(sample.value)) {
				continue;
			}

			// The same series at the same place as on the last page: no key to build, no bound to parse.
			const known = before?.[position];
			let entry: CurrentSeries;
			// The entry of the last page is kept as it is (its labels are equal), so a memory does not hold on to each
			// page's label sets.
			if (known !== undefined && sameLabels(known.labels, sample.labels)) {
				entry = known;
			} else {
				const upperBound = isBucket
					? parseBound(sample.labels['le'])
					: Number.NaN;
				if (isBucket && Number.isNaN(upperBound)) {
					continue;
				}

				const index = catalog.intern(seriesKey(name, sample.labels), {
					name,
					labels: sample.labels,
					upperBound,
				});
				entry = {index, labels: catalog.info(index).labels, upperBound};
			}

			indexes.push(entry.index);
			values.push(sample.value);
			list.push(entry);
		}

		if (list.length > 0) {
			series.set(name, list);
		}
	}

	const created = readCreated(page);
	const processStart = readProcessStart(page);
	const size = catalog.size();
	const previousReading =
		memory === undefined ? undefined : ringAt(memory.readings, -1);
	const previousRaw = memory?.raw;
	const previousCorrected = previousReading?.corrected;
	const recreated =
		memory !== undefined &&
		((processStart !== null &&
			memory.processStart !== null &&
			processStart !== memory.processStart) ||
			createdChanged(memory.created, created));

	const raw = new Float64Array(size).fill(Number.NaN);
	const corrected = new Float64Array(size).fill(Number.NaN);
	const seenAt = new Float64Array(size).fill(Number.NaN);
	if (previousRaw !== undefined) {
		raw.set(previousRaw);
	}

	if (memory !== undefined) {
		seenAt.set(memory.seenAt);
	}

	if (previousCorrected !== undefined) {
		corrected.set(previousCorrected);
	}

	let restarted = recreated;
	let position = -1;
	for (const index of indexes) {
		position++;
		const value = values[position]!;
		const before =
			previousRaw === undefined
				? Number.NaN
				: (previousRaw[index] ?? Number.NaN);
		const base =
			previousCorrected === undefined
				? Number.NaN
				: (previousCorrected[index] ?? Number.NaN);
		let increase: number;
		if (Number.isNaN(before) || recreated) {
			increase = value;
		} else {
			increase = counterIncrease(before, value);
			restarted ||= value < before;
		}

		raw[index] = value;
		corrected[index] = (Number.isNaN(base) ? 0 : base) + increase;
		seenAt[index] = at;
	}

	const previous =
		previousReading === undefined
			? null
			: {
					from: previousReading.corrected,
					seconds: (at - previousReading.at) / 1000,
				};
	const windowStart =
		memory === undefined
			? undefined
			: closestReading(memory.readings, at - windowSeconds * 1000);
	const window =
		windowStart === undefined
			? null
			: {from: windowStart.corrected, seconds: (at - windowStart.at) / 1000};
	const current: Reading = {at, corrected};
	const readings = appendRing(
		thinReadings(memory?.readings ?? emptyRing<Reading>(), windowStart),
		current,
		maxReadings,
		reading => reading.at <= at - retentionMs,
	);

	if (memory === undefined && start === undefined) {
		offerFirstScrape({catalog, layout: series});
	}

	return {
		memory: {
			catalog,
			raw,
			readings,
			created,
			processStart: processStart ?? memory?.processStart ?? null,
			seenAt,
			layout: series,
		},
		current,
		series,
		previous,
		window,
		restarted,
	};
}

/**
The catalog grows with every label set ever seen (a server restarted with another model, engines coming and going),
and every reading holds a slot per catalog series. Once most series have been off the pages for longer than the
readings reach back (`cutoff`), they are dropped and the rest renumbered, so memory follows the live series. A
dropped series that comes back later counts as new, as it would in Prometheus after staleness.
*/
function forgetGoneSeries(memory: DeriveMemory, cutoff: number): DeriveMemory {
	const size = memory.catalog.size();
	const keep: number[] = [];
	for (let index = 0; index < size; index++) {
		if ((memory.seenAt[index] ?? Number.NaN) >= cutoff) {
			keep.push(index);
		}
	}

	if (size < 2 * keep.length + 64) {
		return memory;
	}

	const catalog = createSeriesCatalog();
	for (const index of keep) {
		const info = memory.catalog.info(index);
		catalog.intern(seriesKey(info.name, info.labels), info);
	}

	const remap = (values: Float64Array): Float64Array =>
		Float64Array.from(keep, index => values[index] ?? Number.NaN);
	let readings = emptyRing<Reading>();
	for (const reading of ringItems(memory.readings)) {
		readings = appendRing(
			readings,
			{at: reading.at, corrected: remap(reading.corrected)},
			maxReadings,
		);
	}

	return {
		catalog,
		raw: remap(memory.raw),
		readings,
		created: memory.created,
		processStart: memory.processStart,
		seenAt: remap(memory.seenAt),
		layout: new Map(),
	};
}

/** Readings are in time order, so the closest one is found by a binary search. */
function closestReading(
	readings: PersistentRing<Reading>,
	target: number,
): Reading | undefined {
	const size = ringSize(readings);
	if (size === 0) {
		return undefined;
	}

	let low = 0;
	let high = size - 1;
	while (low < high) {
		const middle = Math.floor((low + high) / 2);
		if (ringAt(readings, middle)!.at < target) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	const after = ringAt(readings, low)!;
	const before = low > 0 ? ringAt(readings, low - 1)! : undefined;
	if (
		before !== undefined &&
		Math.abs(before.at - target) <= Math.abs(after.at - target)
	) {
		return before;
	}

	return after;
}

function readCreated(page: Page): Map<string, number> {
	const created = new Map<string, number>();
	for (const sample of page.samples) {
		if (
			sample.name.startsWith('vllm:') &&
			sample.name.endsWith('_created') &&
			Number.isFinite(sample.value)
		) {
			created.set(
				sharedKey(seriesKey(sample.name, sample.labels)),
				sample.value,
			);
		}
	}

	return created;
}

function createdChanged(
	before: ReadonlyMap<string, number>,
	now: ReadonlyMap<string, number>,
): boolean {
	for (const [key, value] of now) {
		const earlier = before.get(key);
		if (earlier !== undefined && earlier !== value) {
			return true;
		}
	}

	return false;
}

function readProcessStart(page: Page): number | null {
	const value = page.byName.get('process_start_time_seconds')?.[0]?.value;
	return value !== undefined && Number.isFinite(value) ? value : null;
}

/** All readings, oldest first (for tests and diagnostics). */
export function readingsOf(memory: DeriveMemory): readonly Reading[] {
	return ringItems(memory.readings);
}
