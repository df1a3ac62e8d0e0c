import {alertMarkKind, markFor} from '../format/severity-glyph.js';
import type {Alert} from '../alerts/alert.js';
import {sortAlerts} from '../alerts/alert-order.js';
import {useDisplay} from './display-context.js';
import {Line, type Segment} from './line.js';
import {Lines} from './lines.js';
import {severityTone} from './theme.js';
import {wrapText} from './wrap-text.js';

export type AlertsPanelProps = {
	readonly alerts: readonly Alert[];
	readonly width: number;
	readonly rows: number;
	/** Give each alert a second row with its hint, when the rows allow. */
	readonly hasHints: boolean;
};

/**
One alert line: glyph and word (the shared marks of `severity-glyph`), then the message, all in the severity colour so
it reads with and without colour. Pending and resolved alerts carry the state mark and keep their severity word.
*/
export function alertSegments(alert: Alert, ascii: boolean): Segment[] {
	const tone =
		alert.state === 'resolved' ? 'dim' : severityTone(alert.severity);
	const {glyph, word} = markFor(alertMarkKind(alert), {ascii});
	const severity =
		alert.state === 'firing' ? '' : `${markFor(alert.severity).word} `;
	return [
		{
			text: `${glyph} ${word} ${severity}${alert.message}`,
			tone,
			bold: alert.state === 'firing',
		},
	];
}

/** Firing and pending alerts with their hints, as many as fit; the rest are counted. */
export function AlertsPanel({alerts, width, rows, hasHints}: AlertsPanelProps) {
	const {ascii} = useDisplay();
	if (rows <= 0) {
		return null;
	}

	if (alerts.length === 0) {
		const {glyph} = markFor('ok', {ascii});
		return (
			<Line
				segments={[{text: `${glyph} OK no alerts`, tone: 'ok'}]}
				width={width}
			/>
		);
	}

	const sorted = sortAlerts(alerts);
	const withHints = hasHints && rows >= sorted.length * 2;
	const fits = sorted.length <= rows;
	const shown =
		withHints || fits ? sorted : sorted.slice(0, Math.max(1, rows - 1));
	const hidden = sorted.length - shown.length;
	const arrow = ascii ? '->' : '→';
	const lines: Segment[][] = [];
	// Rows beyond one per alert and one per hint let the first hints wrap to a second row instead of being cut.
	let spare = withHints ? rows - shown.length * 2 : 0;
	for (const alert of shown) {
		lines.push(alertSegments(alert, ascii));
		if (withHints) {
			const wrapped = wrapText(`  ${arrow} ${alert.hint}`, width, '    ');
			const extra = Math.min(spare, wrapped.length > 1 ? 1 : 0);
			spare -= extra;
			// The second row takes the rest, cut at the width if even two rows are too few.
			const hintRows =
				extra > 0
					? [
							wrapped[0]!,
							`    ${wrapped
								.slice(1)
								.map(row => row.trim())
								.join(' ')}`,
						]
					: [`  ${arrow} ${alert.hint}`];
			for (const text of hintRows) {
				lines.push([{text, tone: 'dim'}]);
			}
		}
	}

	if (hidden > 0) {
		const more: Segment = {
			text: ` +${hidden} more (v: alerts view)`,
			tone: 'dim',
		};
		if (rows === 1) {
			lines[0] = [...lines[0]!, more];
		} else {
			lines.push([{...more, text: more.text.trimStart()}]);
		}
	}

	return <Lines rows={lines.slice(0, rows)} width={width} />;
}
