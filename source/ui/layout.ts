/**
Pure layout arithmetic: which layout a terminal size gets and how many rows each section may use. The sum never
exceeds the budget, which is what keeps the frame below the terminal height (ink clears the screen otherwise).
*/

export type TerminalSize = {
	readonly columns: number;
	readonly rows: number;
};

/** full: charts. compact: block sparklines. minimal: one-line header, no min/max. too-small: below 40x10. */
export type LayoutMode = 'full' | 'compact' | 'minimal' | 'too-small';

export function layoutMode({columns, rows}: TerminalSize): LayoutMode {
	if (columns >= 80 && rows >= 24) {
		return 'full';
	}

	if (columns >= 60 && rows >= 16) {
		return 'compact';
	}

	if (columns >= 40 && rows >= 10) {
		return 'minimal';
	}

	return 'too-small';
}

export type SectionRequest = {
	readonly id: string;
	/** Rows below which the section is left out. */
	readonly min: number;
	/** Rows it can use at most. */
	readonly max: number;
};

/**
Give rows to sections in priority order: first each section its minimum while it fits (a section whose minimum does
not fit is left out), then the rest up to each maximum, again in priority order.
*/
export function allocateRows(
	budget: number,
	requests: readonly SectionRequest[],
): ReadonlyMap<string, number> {
	const given = new Map<string, number>();
	let left = Math.max(0, budget);
	for (const request of requests) {
		if (request.min <= left && request.max > 0) {
			const rows = Math.max(0, request.min);
			given.set(request.id, rows);
			left -= rows;
		}
	}

	for (const request of requests) {
		const rows = given.get(request.id);
		if (rows === undefined) {
			continue;
		}

		const extra = Math.min(left, Math.max(0, request.max - rows));
		given.set(request.id, rows + extra);
		left -= extra;
	}

	return given;
}
