/**
How each history series is labelled, formatted, coloured and scaled, shared by charts and sparkline rows so both say
the same thing.
*/
import {
	formatCount,
	formatNumber,
	formatPercent,
	formatSeconds,
} from '../format/units.js';
import type {SeriesId} from '../store/target-view.js';
import type {Tone} from './theme.js';

export type SeriesSpec = {
	readonly label: string;
	readonly format: (value: number | null) => string;
	readonly tone: Tone;
	/** Fixed scale, for fractions. */
	readonly min?: number;
	readonly max?: number;
};

export const seriesSpecs: Readonly<Record<SeriesId, SeriesSpec>> = {
	prompt_tokens_per_s: {
		label: 'Prompt t/s',
		format: formatNumber,
		tone: 'first',
	},
	generation_tokens_per_s: {
		label: 'Gen t/s',
		format: formatNumber,
		tone: 'second',
	},
	kv_cache_usage: {
		label: 'KV cache',
		format: formatPercent,
		tone: 'info',
		min: 0,
		max: 1,
	},
	requests_running: {label: 'Running', format: formatCount, tone: 'first'},
	requests_waiting: {label: 'Waiting', format: formatCount, tone: 'warn'},
	requests_swapped: {label: 'Swapped', format: formatCount, tone: 'warn'},
	ttft_p95: {label: 'TTFT p95', format: formatSeconds, tone: 'first'},
	itl_p95: {label: 'ITL p95', format: formatSeconds, tone: 'second'},
	preemptions_per_s: {label: 'Preempt/s', format: formatNumber, tone: 'crit'},
};
