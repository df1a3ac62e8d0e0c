/**
Readings older than the window are kept only so a longer window can be chosen without waiting (the `w` key): those are
kept at least `thinSpacingMs` apart rather than one per scrape, which for a 60 s window at 5 s keeps about 21 readings
of the five minutes instead of 61. The reading the window starts from, and every later one, stay as they are, so the
window's figures are exactly those of keeping every reading.
*/
import type {Reading} from './derive-memory.js';
import {ringItems, ringSize, type PersistentRing} from './persistent-ring.js';

export const thinSpacingMs = 30_000;

/**
`readings` without the one just before `from` (the reading the window starts from) when it is closer than
`thinSpacingMs` to the one before it. Called once per scrape, as each reading leaves the window, so the readings before
the window end up `thinSpacingMs` apart; the oldest one is always kept.
*/
export function thinReadings(
	readings: PersistentRing<Reading>,
	from: Reading | undefined,
): PersistentRing<Reading> {
	if (from === undefined || ringSize(readings) < 3) {
		return readings;
	}

	const items = ringItems(readings);
	const kept = items.indexOf(from);
	const candidate = kept - 1;
	if (
		candidate < 1 ||
		items[candidate]!.at - items[candidate - 1]!.at >= thinSpacingMs
	) {
		return readings;
	}

	// A new backing array: older memories still share the old one.
	const buffer = items.toSpliced(candidate, 1);
	return {buffer, start: 0, end: buffer.length};
}
