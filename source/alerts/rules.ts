/**
The rule table. Each rule turns the signals of one scrape (plus recent history) into a verdict with a message and a
hint; `evaluate-alerts.ts` adds `for` durations, hysteresis state and the resolved tail. Thresholds and their
defaults live in `rule-defaults.ts`.
*/
import {
	formatDuration,
	formatMs,
	formatNumber,
	formatPercent,
} from './alert-text.js';
import {deprecatedNames} from './deprecated-names.js';
import {
	downHint,
	itlHint,
	kvHint,
	preemptionHint,
	queueHint,
	saturatedHint,
	throughputHint,
	ttftHint,
} from './hints.js';
import {
	levelAbove,
	levelBelow,
	verdict,
	type Level,
	type Rule,
} from './rule-context.js';
import {baselineMedian, isRising} from './signal-history.js';

const plural = (count: number, word: string) =>
	`${count} ${word}${count === 1 ? '' : 's'}`;

export const rules: readonly Rule[] = [
	{
		id: 'down',
		needsSignals: false,
		check({input}) {
			const failed = input.scrapeError !== null || input.signals === null;
			if (!failed) {
				return {kind: 'clear'};
			}

			const error = input.scrapeError ?? 'no data';
			return {
				kind: 'fire',
				message: `scrape failed: ${error}`,
				hint: downHint(error),
			};
		},
	},
	{
		id: 'engine_unhealthy',
		needsSignals: false,
		check({input}) {
			if (input.health === 'unknown') {
				return {kind: 'unknown'};
			}

			return input.health === 'ok'
				? {kind: 'clear'}
				: {
						kind: 'fire',
						message: '/health answers 503: the engine is dead',
						hint: 'the engine process died (EngineDeadError): read the vllm serve log for the cause, then restart it',
					};
		},
	},
	{
		id: 'restarted',
		needsSignals: false,
		check({input, config, lastRestartAt}) {
			const holding = input.instant
				? input.restarted
				: lastRestartAt !== null &&
					input.at - lastRestartAt < config.thresholds.restarted.hold * 1000;
			return holding
				? {
						kind: 'fire',
						message: 'counters went backwards: the server restarted',
						hint: 'look in the vllm serve log (and dmesg for the OOM killer) for why it stopped',
					}
				: {kind: 'clear'};
		},
	},
	{
		id: 'no_vllm_metrics',
		needsSignals: true,
		check({input}) {
			return input.hasVllmMetrics
				? {kind: 'clear'}
				: {
						kind: 'fire',
						message:
							'/metrics has no vllm: families, only process and HTTP metrics',
						hint: 'the server runs with --disable-log-stats: restart without it (or this is not a vLLM server)',
					};
		},
	},
	{
		id: 'sleeping',
		needsSignals: true,
		check(_context, signals) {
			const state = signals.sleep_state;
			if (state === null || state === 'awake') {
				return {kind: 'clear'};
			}

			const level =
				state === 'weights_offloaded'
					? 'level 1: weights offloaded to CPU'
					: 'level 2: weights discarded';
			return {
				kind: 'fire',
				message: `the engine is asleep (${level})`,
				hint: 'it serves nothing until POST /wake_up (needs VLLM_SERVER_DEV_MODE=1)',
			};
		},
	},
	{
		id: 'ttft_p95_high',
		needsSignals: true,
		check(context, signals) {
			const p95 = signals.ttft_seconds?.p95 ?? null;
			if (p95 === null) {
				return {kind: 'clear'};
			}

			const {value, clear} = context.config.thresholds.ttft_p95_high;
			return verdict(
				levelAbove(p95 * 1000, value, clear),
				`TTFT p95 ${formatMs(p95)}, limit ${formatNumber(value)} ms`,
				ttftHint(context, signals),
			);
		},
	},
	{
		id: 'itl_p95_high',
		needsSignals: true,
		check(context, signals) {
			const p95 = signals.itl_seconds?.p95 ?? null;
			if (p95 === null) {
				return {kind: 'clear'};
			}

			const {value, clear} = context.config.thresholds.itl_p95_high;
			return verdict(
				levelAbove(p95 * 1000, value, clear),
				`inter-token latency p95 ${formatMs(p95)}, limit ${formatNumber(value)} ms`,
				itlHint(context, signals),
			);
		},
	},
	{
		id: 'queue_backlog',
		needsSignals: true,
		check(context, signals) {
			const waiting = signals.requests_waiting;
			if (waiting === null) {
				return {kind: 'clear'};
			}

			const settings = context.config.thresholds.queue_backlog;
			const level = levelAbove(waiting, settings.value, settings.clear);
			const rising =
				waiting > settings.value &&
				isRising(
					context.history,
					entry => entry.requests_waiting,
					context.input.at,
					settings.rising_for,
					context.input.instant,
				);
			const message = rising
				? `${waiting} waiting (> ${settings.value}) and rising for ${formatDuration(settings.rising_for)}: TTFT is about to blow up`
				: `${plural(waiting, 'request')} waiting, limit ${settings.value}`;
			return verdict(
				level,
				message,
				queueHint(context, signals, rising),
				rising ? 'crit' : 'warn',
			);
		},
	},
	{
		id: 'kv_cache_pressure',
		needsSignals: true,
		check(context, signals) {
			const usage = signals.kv_cache_usage;
			if (usage === null) {
				return {kind: 'clear'};
			}

			const {value, clear} = context.config.thresholds.kv_cache_pressure;
			const preemptions = signals.preemptions_per_s ?? 0;
			const preempting =
				preemptions > 0 ? `, ${formatNumber(preemptions)} preemptions/s` : '';
			return verdict(
				levelAbove(usage, value, clear),
				`KV cache ${formatPercent(usage)} used, limit ${formatPercent(value)}${preempting}`,
				kvHint(context),
			);
		},
	},
	{
		id: 'preemptions',
		needsSignals: true,
		check(context, signals) {
			const rate = signals.preemptions_per_s;
			if (rate === null) {
				return {kind: 'clear'};
			}

			const {value, clear} = context.config.thresholds.preemptions;
			const kv = signals.kv_cache_usage;
			return verdict(
				levelAbove(rate, value, clear),
				`${formatNumber(rate)} preemptions/s (KV cache ${kv === null ? '--' : formatPercent(kv)}): requests are evicted and recomputed`,
				preemptionHint(context, signals),
			);
		},
	},
	{
		id: 'swapping',
		needsSignals: true,
		check(context, signals) {
			const swapped = signals.requests_swapped;
			if (swapped === null) {
				return {kind: 'clear'};
			}

			const {value, clear} = context.config.thresholds.swapping;
			return verdict(
				levelAbove(swapped, value, clear),
				`${plural(swapped, 'request')} swapped out to CPU (V0)`,
				`V0 swaps when GPU KV cache runs out; ${kvHint(context)}`,
			);
		},
	},
	{
		id: 'cpu_kv_overflow',
		needsSignals: true,
		check(context, signals) {
			const usage = signals.cpu_kv_cache_usage;
			if (usage === null) {
				return {kind: 'clear'};
			}

			const {value, clear} = context.config.thresholds.cpu_kv_overflow;
			return verdict(
				levelAbove(usage, value, clear),
				`CPU KV cache ${formatPercent(usage)} used (V0 swap space)`,
				`GPU KV cache overflowed to CPU; ${kvHint(context)}`,
			);
		},
	},
	{
		id: 'saturated',
		needsSignals: true,
		check(context, signals) {
			const running = signals.requests_running;
			const slots = context.maxRunning;
			if (running === null || slots === null || slots.value <= 0) {
				return {kind: 'clear'};
			}

			const {value, clear} = context.config.thresholds.saturated;
			const ratio = running / slots.value;
			// Running can only reach the cap, not pass it, so the fire test includes equality.
			const level: Level =
				ratio >= value ? 'fire' : ratio > clear ? 'hold' : 'clear';
			const source = slots.learned
				? 'learned from the running plateau'
				: '--max-num-seqs';
			const waiting = signals.requests_waiting;
			return verdict(
				level,
				`${running} of ${slots.value} sequence slots busy (${source}), ${waiting ?? '--'} waiting`,
				saturatedHint(signals),
			);
		},
	},
	{
		id: 'throughput_drop',
		needsSignals: true,
		check(context, signals) {
			const generation = signals.generation_tokens_per_s;
			const running = signals.requests_running;
			if (generation === null || running === null || running <= 0) {
				return {kind: 'clear'};
			}

			const {value, clear, window} = context.config.thresholds.throughput_drop;
			const {at} = context.input;
			const usual = baselineMedian(
				context.history,
				entry => entry.generation_tokens_per_s,
				at,
				window,
			);
			if (usual === null || usual <= 0) {
				return {kind: 'clear'};
			}

			const promptUsual = baselineMedian(
				context.history,
				entry => entry.prompt_tokens_per_s,
				at,
				window,
			);
			return verdict(
				levelBelow(generation / usual, value, clear),
				`generation ${formatNumber(generation)} tok/s, ${formatPercent(generation / usual)} of its recent median ${formatNumber(usual)} tok/s with ${running} running`,
				throughputHint(context, signals, promptUsual),
			);
		},
	},
	{
		id: 'prefix_cache_low',
		needsSignals: true,
		check(context, signals) {
			const rate = signals.prefix_cache_hit_rate;
			if (
				rate === null ||
				context.input.cacheConfig?.enable_prefix_caching === false
			) {
				return {kind: 'clear'};
			}

			const {value, clear} = context.config.thresholds.prefix_cache_low;
			return verdict(
				levelBelow(rate, value, clear),
				`prefix cache hit rate ${formatPercent(rate)}, expected at least ${formatPercent(value)}`,
				'few prompts share a prefix: keep system prompts first and byte-identical, and send a conversation to the same replica',
			);
		},
	},
	{
		id: 'deprecated_names',
		needsSignals: true,
		check({input}) {
			const names = input.deprecatedNames;
			if (names.length === 0) {
				return {kind: 'clear'};
			}

			const shown = names.slice(0, 3).join(', ');
			const more = names.length > 3 ? ` and ${names.length - 3} more` : '';
			const moves = names
				.slice(0, 2)
				.map(name => `${name} -> ${deprecatedNames.get(name) ?? 'nothing'}`)
				.join('; ');
			return {
				kind: 'fire',
				message: `the server exposes deprecated ${names.length === 1 ? 'name' : 'names'} ${shown}${more}`,
				hint: `the next vLLM release drops them; move dashboards and alert rules: ${moves}`,
			};
		},
	},
];
