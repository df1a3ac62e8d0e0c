/**
How worrying one value of a history series is, by the threshold of the alert rule that watches it: series no rule
watches have none, so they draw in the neutral colour.
*/
import type {Thresholds} from '../alerts/rule-defaults.js';
import type {SeriesId} from '../store/target-view.js';
import type {Tone} from './theme.js';

/** The value above which a series is past its rule's threshold, in the series' own unit; undefined where no rule applies. */
export function seriesLimit(
	id: SeriesId,
	thresholds: Thresholds,
): number | undefined {
	switch (id) {
		case 'requests_waiting': {
			return thresholds.queue_backlog.value;
		}

		case 'kv_cache_usage': {
			return thresholds.kv_cache_pressure.value;
		}

		case 'preemptions_per_s': {
			return thresholds.preemptions.value;
		}

		case 'requests_swapped': {
			return thresholds.swapping.value;
		}

		// The latency rules count milliseconds, the series seconds.
		case 'ttft_p95': {
			return thresholds.ttft_p95_high.value / 1000;
		}

		case 'itl_p95': {
			return thresholds.itl_p95_high.value / 1000;
		}

		case 'prompt_tokens_per_s':
		case 'prefill_tokens_per_s':
		case 'generation_tokens_per_s':
		case 'requests_running': {
			return undefined;
		}
	}
}

/** `warn` past the rule's threshold, undefined (neutral) below it, for missing values and for unwatched series. */
export function seriesTone(
	id: SeriesId,
	value: number | null | undefined,
	thresholds: Thresholds,
): Tone | undefined {
	const limit = seriesLimit(id, thresholds);
	if (limit === undefined || value === null || value === undefined) {
		return undefined;
	}

	return value > limit ? 'warn' : undefined;
}
