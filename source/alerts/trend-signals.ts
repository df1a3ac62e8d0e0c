/**
What the rules read from earlier scrapes: rising queues, the usual throughput, the errors of the last minute, the
running plateau. Only these fields are kept in the recent history (240 scrapes, 20 minutes at the default interval): a
handful of numbers a scrape instead of every signal with its quantiles and breakdowns, which was most of the memory a
fleet target held.
*/
import type {Signals} from '../derive/snapshot.js';

/** Every field a rule reads from a scrape before this one; the compiler refuses a rule that reads any other. */
export const trendKeys = [
	'requests_running',
	'requests_waiting',
	'generation_tokens_per_s',
	'prompt_tokens_per_s',
	'corrupted_requests_per_s',
	'http_requests_per_s_by_status',
] as const satisfies ReadonlyArray<keyof Signals>;

export type TrendSignals = Pick<Signals, (typeof trendKeys)[number]>;

/** The trend fields of one scrape's signals, in a new object that holds nothing else. */
export function trendSignals(signals: Signals): TrendSignals {
	return {
		requests_running: signals.requests_running,
		requests_waiting: signals.requests_waiting,
		generation_tokens_per_s: signals.generation_tokens_per_s,
		prompt_tokens_per_s: signals.prompt_tokens_per_s,
		corrupted_requests_per_s: signals.corrupted_requests_per_s,
		http_requests_per_s_by_status: signals.http_requests_per_s_by_status,
	};
}
