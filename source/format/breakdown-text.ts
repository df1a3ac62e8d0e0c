/**
A breakdown (a value per label value) as one run of text: `0 90% · 1 71% · 2 40%` for acceptance by draft position,
`local_compute 210 · local_cache_hit 6.4k` for prompt tokens by source.
*/
import type {Breakdown} from '../catalog/signal-values.js';
import {missing} from './units.js';

export function formatBreakdown(
	breakdown: Breakdown | null | undefined,
	format: (value: number | null) => string,
): string {
	const entries = Object.entries(breakdown ?? {});
	if (entries.length === 0) {
		return missing;
	}

	return entries.map(([key, value]) => `${key} ${format(value)}`).join(' · ');
}

/** A signal's value as a breakdown, or undefined for any other shape. */
export function asBreakdown(value: unknown): Breakdown | undefined {
	if (value === null || typeof value !== 'object' || 'p95' in value) {
		return undefined;
	}

	const entries = Object.entries(value);
	return entries.every(([, part]) => typeof part === 'number')
		? Object.fromEntries(entries)
		: undefined;
}
