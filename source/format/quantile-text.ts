import type {Stat} from '../catalog/signal-def.js';
import {quantilesOf, type Signals} from '../catalog/signal-types.js';
import type {Quantiles} from '../derive/snapshot.js';
import {formatSeconds} from './units.js';

/**
One latency quantile as text: `<300ms` when it fell in the first bucket and `>10s` past the last finite one, since
the number there is an artifact of the bucket bounds (an idle queue is not 150 ms, a slow TTFT is not exactly 10 s).
*/
export function formatQuantile(
	quantiles: Quantiles | null | undefined,
	key: 'p50' | 'p90' | 'p95' | 'p99',
): string {
	const bound = quantiles?.bounded?.[key];
	if (bound && quantiles?.[key] !== null) {
		return `${bound.side === 'below' ? '<' : '>'}${formatSeconds(bound.bound)}`;
	}

	return formatSeconds(quantiles?.[key]);
}

/** A catalog signal's value as text through `format`; a bucket-bound quantile reads `<300ms` / `>10s` (`<1` token). */
export function formatSignalValue(
	signals: Signals,
	key: string,
	stat: Stat | undefined,
	value: number | null,
	format: (value: number | null) => string,
): string {
	if (stat !== undefined && stat !== 'mean') {
		const bound = quantilesOf(signals, key)?.bounded?.[stat];
		if (bound && value !== null) {
			// In the signal's own unit: seconds for latencies, tokens for lengths.
			return `${bound.side === 'below' ? '<' : '>'}${format(bound.bound)}`;
		}
	}

	return format(value);
}
