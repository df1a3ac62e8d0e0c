/**
Where each target's scrapes fall within the interval. A small fleet is scraped all at once, so the fleet table shows
one moment and the view draws once per interval. A large one is split into waves of at most `waveSize` targets, at
least a second apart: started together, 1,000 targets would queue behind each other every interval, the last ones
answered seconds after their turn, and the parse and derive of their pages would block the event loop in one burst.
*/

/** Targets scraped together at most, when the interval leaves room for more waves. */
export const waveSize = 100;
/** Waves closer than this would make the view draw more often than its clock tick. */
export const minimumWaveGapMs = 1000;

/** How many waves an interval holds for a fleet of `count` targets. */
export function waveCount(count: number, intervalMs: number): number {
	const wanted = Math.ceil(count / waveSize);
	const room = Math.floor(intervalMs / minimumWaveGapMs);
	return Math.max(1, Math.min(wanted, room));
}

/** The phase of target `index` (a fraction of the interval in [0, 1)): neighbours in the list go to different waves. */
export function wavePhase(
	index: number,
	count: number,
	intervalMs: number,
): number {
	const waves = waveCount(count, intervalMs);
	return (index % waves) / waves;
}
