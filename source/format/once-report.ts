/**
The short human summary `vllm-top --once` prints: one status line, the key signals, then what is firing or pending
with the hint under it. Plain text; colour only repeats what the glyphs and words already say.
*/
import type {Alert} from '../alerts/alert.js';
import {
	inTopicOrder,
	signalNumber,
	type Signals,
} from '../catalog/signal-types.js';
import {signalCatalog, type SignalCatalog} from '../catalog/signals.js';
import type {Snapshot} from '../pipeline/snapshot.js';
import {formatSignalValue} from './quantile-text.js';
import {
	alertMarkKind,
	formatMark,
	markFor,
	markWidth,
	statusMarkKind,
} from './severity-glyph.js';
import {formatNumber, missing} from './units.js';

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
	for (const signal of inTopicOrder(catalog)) {
		const {once} = signal;
		if (once === undefined) {
			continue;
		}

		const value = signalNumber(signals, signal.key, once.stat);
		const format = once.format ?? signal.format ?? formatNumber;
		const pair: Pair = {
			label: once.label,
			text: `${formatSignalValue(signals, signal.key, once.stat, value, format)}${once.suffix ?? ''}`,
		};
		const groups = rows.get(signal.topic) ?? [];
		const last = groups.at(-1);
		if (once.continues === true && last !== undefined) {
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

	// A server that never answered has no numbers: a table of `--` would only bury the error and its hint.
	const answered = snapshot.status !== 'down' || hasAnyValue(snapshot);
	lines.push(
		...(answered
			? signalLines(snapshot.signals, options.signals ?? signalCatalog)
			: []),
		...alertLines(snapshot.alerts, options),
	);
	return lines.join('\n');
}
