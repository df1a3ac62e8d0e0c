/**
The short human summary `vllm-top --once` prints: one status line, the key signals, then what is firing or pending
with the hint under it. Plain text; colour only repeats what the glyphs and words already say.
*/
import type {Alert} from '../alerts/alert.js';
import {
	inTopicOrder,
	signalNumber,
	signalValue,
	specDecodeRunning,
	specDecodeText,
	type Signals,
} from '../catalog/signal-types.js';
import {signalCatalog, type SignalCatalog} from '../catalog/signals.js';
import type {Snapshot} from '../pipeline/snapshot.js';
import {asBreakdown, formatBreakdown} from './breakdown-text.js';
import {formatSignalValue} from './quantile-text.js';
import {
	alertMarkKind,
	formatMark,
	markFor,
	markWidth,
	statusMarkKind,
} from './severity-glyph.js';
import {serverText} from './server-text.js';
import {spreadLine, spreadParts} from './spread-text.js';
import {formatNumber, formatPercent, missing} from './units.js';

export type OnceReportOptions = {
	readonly color: boolean;
	/** `--ascii`: glyphs every terminal can draw. */
	readonly ascii?: boolean;
	/** The signals to report. @default signalCatalog */
	readonly signals?: SignalCatalog;
};

const labelWidth = 10;

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
	const parts = [
		snapshot.target,
		serverText(server, 'report'),
		models(server.models),
	];
	const engines = server.engines.length;
	if (engines > 0) {
		parts.push(`${engines} ${engines === 1 ? 'engine' : 'engines'}`);
	}

	return parts.join('  ');
}

function row(label: string, text: string): string {
	return `  ${label.padEnd(labelWidth)}${text}`;
}

/**
One row per topic that has signals with a `once` place, each `label value` pair two spaces apart. A pair marked
`continues` joins the one before it (`63.3% accepted, mean length 2.9`); a group whose values are all missing reads
`label --`.
*/
function signalLines(signals: Signals, catalog: SignalCatalog): string[] {
	type Pair = {readonly label: string; readonly text: string};
	type Group = {readonly label: string; parts: string[]; present: boolean};
	const rows = new Map<string, Group[]>();
	// A pair that continues a left-out optional one starts a group of its own.
	let leftOut = false;
	const specDecode = specDecodeRunning(signals);
	for (const signal of inTopicOrder(catalog)) {
		const {once} = signal;
		const label =
			once === undefined
				? null
				: specDecodeText(signal, once.label, specDecode);
		if (once === undefined || label === null) {
			continue;
		}

		const format = once.format ?? signal.format ?? formatNumber;
		const breakdown = asBreakdown(signalValue(signals, signal.key));
		// A breakdown shows only while it has parts: `by position --` says nothing a missing pair does not.
		if (
			signal.kind.type === 'breakdown' &&
			Object.keys(breakdown ?? {}).length === 0
		) {
			continue;
		}

		const value =
			breakdown === undefined
				? signalNumber(signals, signal.key, once.stat)
				: null;
		if (once.optional === true && value === null) {
			leftOut ||= once.continues !== true;
			continue;
		}

		const pair: Pair = {
			label,
			text:
				breakdown === undefined
					? `${formatSignalValue(signals, signal.key, once.stat, value, format)}${once.suffix ?? ''}`
					: formatBreakdown(breakdown, format),
		};
		const groups = rows.get(signal.topic) ?? [];
		const last = groups.at(-1);
		if (once.continues === true && last !== undefined && !leftOut) {
			last.parts.push(`${pair.label} ${pair.text}`);
			last.present ||= value !== null;
		} else {
			groups.push({
				label: pair.label,
				parts: [pair.text],
				present: value !== null,
			});
		}

		rows.set(signal.topic, groups);
		leftOut = false;
	}

	return [...rows].map(([topic, groups]) =>
		row(
			topic,
			groups
				.map(
					group =>
						`${group.label} ${group.parts.length > 1 && !group.present ? missing : group.parts.join(', ')}`,
				)
				.join('  '),
		),
	);
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

/** Rules that stayed quiet because the server lacks what they read: quiet must not pass for healthy. */
function notJudgedLines(notJudged: Snapshot['not_judged']): string[] {
	return notJudged.length === 0
		? []
		: [
				`  not judged: ${notJudged.map(rule => `${rule.id} (${rule.reason})`).join(', ')}`,
			];
}

/** Tokens per step against the budget the user gave; nothing when it was not given. */
function batchFillLines(fill: Snapshot['batch_fill']): string[] {
	return fill === null
		? []
		: [
				row(
					'batch',
					`step fill p50 ${formatPercent(fill.p50)}, p90 ${formatPercent(fill.p90)} of --max-num-batched-tokens ${fill.max_num_batched_tokens}`,
				),
			];
}

function hasAnyValue(snapshot: Snapshot): boolean {
	return (
		snapshot.server.version !== null ||
		snapshot.server.generation !== null ||
		Object.values(snapshot.signals).some(value => value !== null)
	);
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

	const catalog = options.signals ?? signalCatalog;
	const spread = spreadParts(snapshot.engine_spread, catalog, options.ascii);
	// A server that never answered has no numbers: a table of `--` would only bury the error and its hint.
	const answered = snapshot.status !== 'down' || hasAnyValue(snapshot);
	lines.push(
		...(answered ? signalLines(snapshot.signals, catalog) : []),
		...(answered && spread.length > 0
			? [row('engines', spreadLine(spread))]
			: []),
		...(answered ? batchFillLines(snapshot.batch_fill) : []),
		...alertLines(snapshot.alerts, options),
		...notJudgedLines(snapshot.not_judged),
	);
	return lines.join('\n');
}
