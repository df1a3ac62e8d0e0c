/**
`--speed`: apart from the replay clock, which reads recordings (and their schema library), so checking the flag at
start-up loads neither.
*/

/** How many recorded seconds pass per real second; 'max' feeds records as fast as they can be read. */
export type ReplaySpeed = number | 'max';

/** The largest speed accepted: beyond it every real wait rounds to nothing anyway. */
export const maxSpeedFactor = 100_000;

export type ParsedSpeed =
	| {readonly ok: true; readonly speed: ReplaySpeed}
	| {readonly ok: false; readonly error: string};

/** `--speed N`: a positive factor (1, 10, 60, 2.5, also written 10x) or `max`. */
export function parseSpeed(text: string): ParsedSpeed {
	const trimmed = text.trim().toLowerCase();
	if (trimmed === 'max') {
		return {ok: true, speed: 'max'};
	}

	const digits = trimmed.endsWith('x') ? trimmed.slice(0, -1) : trimmed;
	const factor =
		digits !== '' && [...digits].every(char => '0123456789.'.includes(char))
			? Number(digits)
			: Number.NaN;
	if (factor > 0 && factor <= maxSpeedFactor) {
		return {ok: true, speed: factor};
	}

	return {
		ok: false,
		error: `--speed ${JSON.stringify(text)} is not a speed; give a factor such as 1, 10 or 60, or max`,
	};
}
