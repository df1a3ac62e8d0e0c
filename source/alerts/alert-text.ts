/**
Number formatting for alert messages: short, unit attached, the same way in every message (durations:
`formatSpokenDuration` in `format/units.ts`).
*/

export function formatMs(seconds: number): string {
	const ms = seconds * 1000;
	if (ms >= 10_000) {
		return `${(ms / 1000).toFixed(1)} s`;
	}

	return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatPercent(fraction: number): string {
	const percent = fraction * 100;
	const whole = Math.round(percent);
	return Math.abs(percent - whole) < 0.05
		? `${whole} %`
		: `${percent.toFixed(1)} %`;
}

export function formatNumber(value: number): string {
	if (Number.isInteger(value) || Math.abs(value) >= 100) {
		return String(Math.round(value));
	}

	return Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}
