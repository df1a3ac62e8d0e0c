/**
Number formatting for a dense terminal view: every value fits in a few cells and anything missing reads `--`, never 0.
*/

/** Shown wherever a value is missing: absent on the page, not scraped yet, or not a finite number. */
export const missing = '--';

function isPresent(value: number | null | undefined): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

function trimZeros(text: string): string {
	return text.includes('.') ? text.replace(/\.?0+$/u, '') : text;
}

const suffixes: ReadonlyArray<readonly [number, string]> = [
	[1e12, 'T'],
	[1e9, 'G'],
	[1e6, 'M'],
	[1e3, 'k'],
];

/** About three significant digits with k/M/G/T suffixes, so columns stay narrow: 0.05, 1.23, 12.3, 123, 12.3k, 1.2M. */
export function formatNumber(value: number | null | undefined): string {
	if (!isPresent(value)) {
		return missing;
	}

	const magnitude = Math.abs(value);
	if (magnitude >= 9999.5) {
		for (const [size, suffix] of suffixes) {
			// Compare with the rounded value so 999.96k reads 1M, not 1000k.
			if (magnitude >= size * 0.999_95) {
				const scaled = value / size;
				return (
					trimZeros(scaled.toFixed(Math.abs(scaled) >= 99.95 ? 0 : 1)) + suffix
				);
			}
		}
	}

	if (magnitude === 0) {
		return '0';
	}

	if (magnitude >= 100) {
		return Math.round(value).toString();
	}

	if (magnitude >= 10) {
		return trimZeros(value.toFixed(1));
	}

	if (magnitude >= 0.01) {
		return trimZeros(value.toFixed(2));
	}

	// Three decimals of nothing help no one; keep the sign of what is there.
	return value > 0 ? '<0.01' : '>-0.01';
}

/** Whole things (requests, blocks, sequences): integers below 10k, suffixed above. */
export function formatCount(value: number | null | undefined): string {
	if (!isPresent(value)) {
		return missing;
	}

	return Math.abs(value) < 1e4
		? Math.round(value).toString()
		: formatNumber(value);
}

/** A number exactly as it is, for reports that print whole counts unabbreviated: 12345 stays 12345. */
export function formatExact(value: number | null | undefined): string {
	return isPresent(value) ? String(value) : missing;
}

/** Token counts: the same as counts, named for the call sites. */
export function formatTokens(value: number | null | undefined): string {
	return formatCount(value);
}

/** A fraction 0..1 as a percentage with one decimal: 0.875 -> 87.5%. */
export function formatPercent(fraction: number | null | undefined): string {
	if (!isPresent(fraction)) {
		return missing;
	}

	const percent = fraction * 100;
	return `${Math.abs(percent) >= 99.95 ? Math.round(percent) : percent.toFixed(1)}%`;
}

/** A latency in seconds, in the unit people read it in: 850µs, 42ms, 1.23s, 2m05s. */
export function formatSeconds(seconds: number | null | undefined): string {
	if (!isPresent(seconds)) {
		return missing;
	}

	const magnitude = Math.abs(seconds);
	if (magnitude === 0) {
		return '0ms';
	}

	if (magnitude < 0.001) {
		return `${Math.round(seconds * 1e6)}us`;
	}

	if (magnitude < 0.01) {
		return `${trimZeros((seconds * 1000).toFixed(1))}ms`;
	}

	if (magnitude < 0.9995) {
		return `${Math.round(seconds * 1000)}ms`;
	}

	if (magnitude < 59.995) {
		return `${trimZeros(seconds.toFixed(magnitude < 9.995 ? 2 : 1))}s`;
	}

	return formatDuration(seconds * 1000);
}

/** A span of time in ms for uptimes and ages, two units at most: 42ms, 0.5s, 45s, 3m12s, 5m, 2h05m, 3d04h. */
export function formatDuration(ms: number | null | undefined): string {
	if (!isPresent(ms)) {
		return missing;
	}

	if (ms < 0) {
		return `-${formatDuration(-ms)}`;
	}

	if (ms < 1000) {
		return `${Math.round(ms)}ms`;
	}

	if (ms < 10_000 && ms % 1000 !== 0) {
		return `${trimZeros((ms / 1000).toFixed(1))}s`;
	}

	const totalSeconds = Math.round(ms / 1000);
	if (totalSeconds < 60) {
		return `${totalSeconds}s`;
	}

	// 5m, not 5m00s: intervals and windows are round.
	const pad = (value: number, unit: string) =>
		value === 0 ? '' : value.toString().padStart(2, '0') + unit;
	const minutes = Math.floor(totalSeconds / 60);
	if (minutes < 60) {
		return `${minutes}m${pad(totalSeconds % 60, 's')}`;
	}

	const hours = Math.floor(minutes / 60);
	if (hours < 24) {
		return `${hours}h${pad(minutes % 60, 'm')}`;
	}

	return `${Math.floor(hours / 24)}d${pad(hours % 24, 'h')}`;
}

/** A span of time in ms as a sentence says it, for alert messages: `30 s`, `1.5 s`, `2 min`. */
export function formatSpokenDuration(ms: number): string {
	const seconds = ms / 1000;
	if (seconds >= 60 && seconds % 60 === 0) {
		return `${seconds / 60} min`;
	}

	if (Number.isInteger(seconds) || Math.abs(seconds) >= 100) {
		return `${Math.round(seconds)} s`;
	}

	return `${seconds.toFixed(Math.abs(seconds) >= 10 ? 1 : 2)} s`;
}

/** A rate per second: 1.2k/s. */
export function formatRate(value: number | null | undefined): string {
	const text = formatNumber(value);
	return text === missing ? missing : `${text}/s`;
}

/** Elapsed time as a stopwatch shows it (`mm:ss`, or `h:mm:ss` past an hour), for captures in progress. */
export function formatClock(ms: number | null | undefined): string {
	if (ms === null || ms === undefined || !Number.isFinite(ms)) {
		return missing;
	}

	const total = Math.max(0, Math.floor(ms / 1000));
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = total % 60;
	const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
	return hours > 0 ? `${hours}:${mmss}` : mmss;
}
