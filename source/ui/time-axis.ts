import {formatDuration} from '../format/units.js';

/**
The x-axis row under a chart: how long ago its first point was, the middle when there is room, and `now` under the
newest point. Points are one scrape apart, so the span is the points times the interval.
*/
export function timeAxis(
	/** Plotted points, oldest first. */
	points: number,
	/** Time between two points. */
	stepMs: number,
	/** Cells before the first point (the y labels). */
	indent: number,
	width: number,
): string {
	const end = indent + points;
	const spanMs = (points - 1) * stepMs;
	if (points < 2 || !(stepMs > 0) || end > width) {
		return '';
	}

	const cells: string[] = Array.from({length: end}, () => ' ');
	const place = (text: string, at: number): boolean => {
		const free = cells
			.slice(Math.max(0, at - 1), at + text.length + 1)
			.every(cell => cell === ' ');
		if (at < indent || at + text.length > end || !free) {
			return false;
		}

		cells.splice(at, text.length, ...text);
		return true;
	};

	place('now', end - 3);
	place(`-${formatDuration(spanMs)}`, indent);
	const middle = Math.floor((points - 1) / 2);
	const middleText = `-${formatDuration((points - 1 - middle) * stepMs)}`;
	place(middleText, indent + middle - Math.floor(middleText.length / 2));
	return cells.join('').trimEnd();
}
