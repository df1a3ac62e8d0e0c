import {
	isRuleId,
	keyUnit,
	ruleKeys,
	type RuleId,
	type Thresholds,
} from '../alerts/rule-defaults.js';
import type {Alert} from '../alerts/alert.js';
import {alertMarkKind, markFor} from '../format/severity-glyph.js';
import {
	formatCount,
	formatDuration,
	formatNumber,
	formatPercent,
	missing,
} from '../format/units.js';
import {formatQuantile} from '../format/quantile-text.js';
import type {MonitorState} from '../store/monitor-state.js';
import {targetAlerts} from '../store/target-alerts.js';
import type {TargetView} from '../store/target-view.js';
import {sortAlerts} from '../alerts/alert-order.js';
import {useDisplay} from './display-context.js';
import {useClock} from './hooks/use-clock.js';
import type {Segment} from './line.js';
import {Lines} from './lines.js';
import {severityTone} from './theme.js';
import {useThresholds} from './thresholds-context.js';
import {wrapText} from './wrap-text.js';

export type DetailsViewProps = {
	readonly target: TargetView | undefined;
	readonly state: MonitorState;
	readonly width: number;
	readonly rows: number;
	/** Epoch ms the frame is drawn at. */
	readonly now: number;
};

function clockTime(at: number): string {
	const date = new Date(at);
	return [date.getHours(), date.getMinutes(), date.getSeconds()]
		.map(part => String(part).padStart(2, '0'))
		.join(':');
}

function settingText(id: RuleId, key: string, value: number): string {
	switch (keyUnit(id, key)) {
		case 'ms': {
			return `${formatNumber(value)} ms`;
		}

		case 'fraction': {
			return formatPercent(value);
		}

		case 'seconds': {
			return formatDuration(value * 1000);
		}

		case 'count':
		case 'per_second':
		case undefined: {
			return formatNumber(value);
		}
	}
}

/** The rule's settings in force, e.g. `value 10 · clear 5 · for 30s · rising_for 1m`. */
export function thresholdText(
	id: string,
	thresholds: Thresholds,
): string | null {
	if (!isRuleId(id)) {
		return null;
	}

	const settings = thresholds[id] as Readonly<Record<string, number>>;
	const parts = ruleKeys(id)
		.filter(key => settings[key] !== undefined)
		.map(key => `${key} ${settingText(id, key, settings[key]!)}`);
	return parts.length === 0 ? null : parts.join(' · ');
}

/** The numbers every alert is judged on, in one line. */
function numbersText(target: TargetView | undefined): string {
	const s = target?.snapshot?.signals;
	if (!s) {
		return `no data yet`;
	}

	return [
		`running ${formatCount(s.requests_running)}`,
		`waiting ${formatCount(s.requests_waiting)}`,
		`KV ${formatPercent(s.kv_cache_usage)}`,
		`preemptions ${formatNumber(s.preemptions_per_s)}/s`,
		`gen ${formatNumber(s.generation_tokens_per_s)} tok/s`,
		`TTFT p95 ${formatQuantile(s.ttft_seconds, 'p95')}`,
		`queue p95 ${formatQuantile(s.queue_seconds, 'p95')}`,
	].join(' · ');
}

function alertRows(
	alert: Alert,
	width: number,
	now: number,
	thresholds: Thresholds,
	ascii: boolean,
): Segment[][] {
	const tone =
		alert.state === 'resolved' ? 'dim' : severityTone(alert.severity);
	const {glyph, word} = markFor(alertMarkKind(alert), {ascii});
	const severity =
		alert.state === 'firing' ? '' : `${markFor(alert.severity).word} `;
	const arrow = ascii ? '->' : '→';
	const threshold = thresholdText(alert.id, thresholds);
	const since = `since ${clockTime(alert.since)} (${formatDuration(Math.max(0, now - alert.since))} ago)${
		alert.until === undefined ? '' : ` · cleared ${clockTime(alert.until)}`
	}${threshold ? ` · ${alert.id}: ${threshold}` : ` · ${alert.id}`}`;
	return [
		...wrapText(
			`${glyph} ${word} ${severity}${alert.message}`,
			width,
			'  ',
		).map((text): Segment[] => [{text, tone, bold: alert.state === 'firing'}]),
		...wrapText(`  ${arrow} ${alert.hint}`, width, '    ').map(
			(text): Segment[] => [{text}],
		),
		...wrapText(`  ${since}`, width, '    ').map((text): Segment[] => [
			{text, tone: 'dim'},
		]),
	];
}

/**
Everything in full, wrapped instead of cut: each alert's message, hint, since and threshold, the numbers behind
them, the scrape error and the profiler's last word. One key (Enter) from any view of a target.
*/
export function DetailsView({
	target,
	state,
	width,
	rows,
	now: frameNow,
}: DetailsViewProps) {
	const {ascii} = useDisplay();
	const thresholds = useThresholds();
	const now = useClock(frameNow);
	if (rows <= 0) {
		return null;
	}

	const lines: Segment[][] = [
		[
			{text: 'Details', bold: true},
			{text: '  (Enter or Esc to close)', tone: 'dim'},
		],
	];
	const error = target?.lastScrape?.error;
	if (error && target.phase !== 'up') {
		lines.push(
			...wrapText(`scrape error: ${error}`, width, '  ').map(
				(text): Segment[] => [{text, tone: 'crit'}],
			),
		);
	}

	const {profiler} = state;
	if (profiler?.detail) {
		lines.push(
			...wrapText(
				`profiler ${profiler.phase}: ${profiler.detail}`,
				width,
				'  ',
			).map((text): Segment[] => [
				{text, tone: profiler.phase === 'error' ? 'crit' : 'info'},
			]),
		);
	}

	lines.push(
		...wrapText(`numbers: ${numbersText(target)}`, width, '  ').map(
			(text): Segment[] => [{text, tone: 'dim'}],
		),
	);
	const alerts = sortAlerts(targetAlerts(target));
	if (alerts.length === 0) {
		lines.push([
			{text: `${markFor('ok', {ascii}).glyph} OK no alerts`, tone: 'ok'},
		]);
	}

	for (const alert of alerts) {
		lines.push(...alertRows(alert, width, now, thresholds, ascii));
	}

	const cut = lines.length > rows;
	const shown = cut ? lines.slice(0, Math.max(1, rows - 1)) : lines;
	if (cut) {
		shown.push([
			{
				text: `${missing} ${lines.length - shown.length} more lines: a taller terminal shows them`,
				tone: 'dim',
			},
		]);
	}

	return <Lines rows={shown} width={width} />;
}
