/**
Signals of a target nothing is known about: every field null, so it prints as `--`, never as 0.
*/
import type {Signals} from './snapshot.js';

export const nullSignals: Signals = {
	requests_running: null,
	requests_waiting: null,
	requests_waiting_by_reason: null,
	requests_swapped: null,
	kv_cache_usage: null,
	cpu_kv_cache_usage: null,
	prompt_tokens_per_s: null,
	generation_tokens_per_s: null,
	requests_per_s: null,
	requests_per_s_by_reason: null,
	preemptions_per_s: null,
	prefix_cache_hit_rate: null,
	spec_decode_acceptance_rate: null,
	spec_decode_mean_acceptance_length: null,
	lora: null,
	sleep_state: null,
	ttft_seconds: null,
	itl_seconds: null,
	e2e_seconds: null,
	queue_seconds: null,
	prefill_seconds: null,
	decode_seconds: null,
};
