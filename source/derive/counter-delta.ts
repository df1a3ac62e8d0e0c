/**
Counter arithmetic with Prometheus' reset rule: a counter only goes up, so a lower value means the process restarted
and counted again from zero. The increase is then the new value, never a negative number.
*/

/** Increase of a cumulative value between two readings. */
export function counterIncrease(previous: number, current: number): number {
	return current < previous ? current : current - previous;
}

/** True when the counter went backwards, i.e. the process behind it restarted. */
export function counterReset(previous: number, current: number): boolean {
	return current < previous;
}

/** Per-second rate, or null when the time span is not positive. */
export function counterRate(
	previous: number,
	current: number,
	seconds: number,
): number | null {
	if (!(seconds > 0)) {
		return null;
	}

	return counterIncrease(previous, current) / seconds;
}
