/**
A bounded, persistent list for the per-scrape readings: appending returns a new ring and leaves the old one as it was,
without copying the history on every scrape. Rings share one backing array; a ring owns the slice [start, end), and
only the ring whose end is the array's end may append in place. Anyone else (an older ring being extended again)
copies its slice first, so no ring ever observes a change.
*/

export type PersistentRing<T> = {
	readonly buffer: T[];
	readonly start: number;
	readonly end: number;
};

export function emptyRing<T>(): PersistentRing<T> {
	return {buffer: [], start: 0, end: 0};
}

export function ringSize<T>(ring: PersistentRing<T>): number {
	return ring.end - ring.start;
}

/** Item `index` counted from the oldest (0) or, when negative, from the newest (-1). */
export function ringAt<T>(
	ring: PersistentRing<T>,
	index: number,
): T | undefined {
	const size = ringSize(ring);
	const position = index < 0 ? size + index : index;
	if (position < 0 || position >= size) {
		return undefined;
	}

	return ring.buffer[ring.start + position];
}

/** Oldest first. */
export function ringItems<T>(ring: PersistentRing<T>): readonly T[] {
	return ring.buffer.slice(ring.start, ring.end);
}

/**
Appends `item`, then drops the oldest items while there are more than `capacity` or while `expired(second oldest)`
holds (so one item older than the cut-off survives as the left edge of a window). Amortised O(1): the backing array
is compacted once the dropped items outnumber the live ones, so a ring cut short by `expired` does not keep up to
`capacity` dead items reachable.
*/
export function appendRing<T>(
	ring: PersistentRing<T>,
	item: T,
	capacity: number,
	expired: (item: T) => boolean = () => false,
): PersistentRing<T> {
	let {buffer, start, end} = ring;
	if (end !== buffer.length || start > Math.max(end - start, 16)) {
		buffer = buffer.slice(start, end);
		start = 0;
		end = buffer.length;
	}

	buffer.push(item);
	end += 1;
	while (end - start > Math.max(1, capacity)) {
		start += 1;
	}

	while (end - start > 1 && expired(buffer[start + 1]!)) {
		start += 1;
	}

	return {buffer, start, end};
}
