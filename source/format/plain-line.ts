/**
One line per target per interval for logs and pipes, in the spirit of vLLM's own periodic log line: `name: value`
pairs that a person can read and a script can split on `, `.
*/
import type {TargetView} from '../store/target-view.js';
import {formatQuantile} from './quantile-text.js';
import {badgeOf} from './badge.js';
import {
	formatCount,
	formatNumber,
	formatPercent,
	formatRate,
	missing,
} from './units.js';

export function formatPlainLine(view: TargetView): string {
	const at = new Date(view.lastScrape?.at ?? Date.now()).toISOString();
	const parts = [`${at} ${view.name} ${badgeOf(view)}`];
	const {snapshot} = view;
	if (snapshot !== null) {
		const s = snapshot.signals;
		parts.push(
			`Running: ${formatCount(s.requests_running)} reqs`,
			`Waiting: ${formatCount(s.requests_waiting)} reqs`,
		);
		if (s.requests_swapped !== null) {
			parts.push(`Swapped: ${formatCount(s.requests_swapped)} reqs`);
		}

		parts.push(
			`KV cache: ${formatPercent(s.kv_cache_usage)}`,
			`Prompt: ${formatNumber(s.prompt_tokens_per_s)} tok/s`,
			`Generation: ${formatNumber(s.generation_tokens_per_s)} tok/s`,
			`TTFT p95: ${formatQuantile(s.ttft_seconds, 'p95')}`,
			`ITL p95: ${formatQuantile(s.itl_seconds, 'p95')}`,
			`Prefix hit: ${formatPercent(s.prefix_cache_hit_rate)}`,
			`Preemptions: ${formatRate(s.preemptions_per_s)}`,
		);
		const firing = snapshot.alerts
			.filter(alert => alert.state === 'firing')
			.map(alert => alert.id);
		parts.push(`Alerts: ${firing.length > 0 ? firing.join(' ') : missing}`);
	}

	if (view.lastScrape?.error) {
		parts.push(`Error: ${view.lastScrape.error}`);
	}

	return parts.join(', ');
}
