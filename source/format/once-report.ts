/**
The short human summary `vllm-top --once` prints: one status line, the key signals, then what is firing or pending
with the hint under it. Plain text; colour only repeats what the glyphs and words already say.
*/
import type {Alert} from '../alerts/alert.js';
import type {Snapshot} from '../pipeline/snapshot.js';
import {formatQuantile} from './quantile-text.js';
import {
	alertMarkKind,
	formatMark,
	markFor,
	markWidth,
	statusMarkKind,
} from './severity-glyph.js';
import {formatNumber, formatPercent, missing} from './units.js';

export type OnceReportOptions = {
	readonly color: boolean;
	/** `--ascii`: glyphs every terminal can draw. */
	readonly ascii?: boolean;
};

const labelWidth = 10;

function count(value: number | null): string {
	return value === null ? missing : String(value);
}

function models(names: readonly string[]): string {
	if (names.length === 0) {
		return missing;
	}

	return names.length <= 2
		? names.join(', ')
		: `${names.slice(0, 2).join(', ')} +${names.length - 2}`;
}

function serverLine(snapshot: Snapshot): string {
	const {server} = snapshot;
	const generation =
		server.generation === null ? '' : ` (${server.generation.toUpperCase()})`;
	const parts = [
		snapshot.target,
		`vLLM ${server.version ?? missing}${generation}`,
		models(server.models),
	];
	const engines = server.engines.length;
	if (engines > 0) {
		parts.push(`${engines} ${engines === 1 ? 'engine' : 'engines'}`);
	}

	return parts.join('  ');
}

function specDecode(snapshot: Snapshot): string {
	const rate = snapshot.signals.spec_decode_acceptance_rate;
	const length = snapshot.signals.spec_decode_mean_acceptance_length;
	if (rate === null && length === null) {
		return missing;
	}

	return `${formatPercent(rate)} accepted, mean length ${formatNumber(length)}`;
}

function row(label: string, text: string): string {
	return `  ${label.padEnd(labelWidth)}${text}`;
}

function signalLines(snapshot: Snapshot): string[] {
	const s = snapshot.signals;
	return [
		row(
			'requests',
			`running ${count(s.requests_running)}  waiting ${count(s.requests_waiting)}  swapped ${count(s.requests_swapped)}`,
		),
		row(
			'kv cache',
			`gpu ${formatPercent(s.kv_cache_usage)}  cpu ${formatPercent(s.cpu_kv_cache_usage)}`,
		),
		row(
			'tokens/s',
			`prompt ${formatNumber(s.prompt_tokens_per_s)}  generation ${formatNumber(s.generation_tokens_per_s)}`,
		),
		row(
			'latency',
			`TTFT p95 ${formatQuantile(s.ttft_seconds, 'p95')}  ITL p95 ${formatQuantile(s.itl_seconds, 'p95')}`,
		),
		row(
			'cache',
			`prefix hit ${formatPercent(s.prefix_cache_hit_rate)}  spec decode ${specDecode(snapshot)}`,
		),
	];
}

function alertLines(
	alerts: readonly Alert[],
	options: OnceReportOptions,
): string[] {
	const shown = alerts.filter(alert => alert.state !== 'resolved');
	if (shown.length === 0) {
		return [
			`  ${formatMark(markFor('ok', options), {color: options.color})} no alerts`,
		];
	}

	const indent = ' '.repeat(2 + markWidth + 1);
	return shown.flatMap(alert => [
		`  ${formatMark(markFor(alertMarkKind(alert), options), {color: options.color, pad: markWidth})} ${alert.id}: ${alert.message}`,
		`${indent}hint: ${alert.hint}`,
	]);
}

export function formatOnceReport(
	snapshot: Snapshot,
	options: OnceReportOptions,
): string {
	const status = formatMark(markFor(statusMarkKind(snapshot.status), options), {
		color: options.color,
	});
	const lines = [`${status}  ${serverLine(snapshot)}`];
	if (snapshot.error !== null) {
		lines.push(row('error', `last scrape failed: ${snapshot.error}`));
	}

	lines.push(...signalLines(snapshot), ...alertLines(snapshot.alerts, options));
	return lines.join('\n');
}
