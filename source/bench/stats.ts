/**
Summary statistics as numpy computes them for `vllm bench serve`: population standard deviation, and percentiles
by linear interpolation between the closest ranks. An empty list gives zeros, as numpy does for `x or 0`.
*/

export function mean(values: readonly number[]): number {
	return values.length === 0
		? 0
		: values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function std(values: readonly number[]): number {
	if (values.length === 0) {
		return 0;
	}

	const average = mean(values);
	return Math.sqrt(mean(values.map(value => (value - average) ** 2)));
}

/** Percentile `p` (0-100) of values already sorted ascending. */
export function percentileSorted(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) {
		return 0;
	}

	const rank = (p / 100) * (sorted.length - 1);
	const low = Math.floor(rank);
	const high = Math.min(low + 1, sorted.length - 1);
	return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function sortedCopy(values: readonly number[]): number[] {
	return values.toSorted((a, b) => a - b);
}
