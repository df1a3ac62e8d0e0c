/**
One line per target per interval for logs and pipes, in the spirit of vLLM's own periodic log line: `name: value`
pairs that a person can read and a script can split on `, `.
*/
import {
	inTopicOrder,
	signalNumber,
	signalValue,
	specDecodeRunning,
	specDecodeText,
	type Signals,
} from '../catalog/signal-types.js';
import {signalCatalog, type SignalCatalog} from '../catalog/signals.js';
import type {TargetView} from '../store/target-view.js';
import {asBreakdown, formatBreakdown} from './breakdown-text.js';
import {formatSignalValue} from './quantile-text.js';
import {badgeOf} from './badge.js';
import {otherServerName} from './server-text.js';
import {formatNumber, missing} from './units.js';

/** The `name: value` pairs of the signals that show on the plain line. */
function signalPairs(signals: Signals, catalog: SignalCatalog): string[] {
	const specDecode = specDecodeRunning(signals);
	return inTopicOrder(catalog).flatMap(signal => {
		const {plain} = signal;
		const label =
			plain === undefined
				? null
				: specDecodeText(signal, plain.label, specDecode);
		if (plain === undefined || label === null) {
			return [];
		}

		const format = plain.format ?? signal.format ?? formatNumber;
		const breakdown = asBreakdown(signalValue(signals, signal.key));
		if (signal.kind.type === 'breakdown') {
			return Object.keys(breakdown ?? {}).length === 0
				? []
				: [`${label}: ${formatBreakdown(breakdown, format)}`];
		}

		const value = signalNumber(signals, signal.key, plain.stat);
		if (plain.optional === true && value === null) {
			return [];
		}

		return [
			`${label}: ${formatSignalValue(signals, signal.key, plain.stat, value, format)}${plain.suffix ?? ''}`,
		];
	});
}

export function formatPlainLine(
	view: TargetView,
	catalog: SignalCatalog = signalCatalog,
): string {
	const at = new Date(view.lastScrape?.at ?? Date.now()).toISOString();
	const {snapshot} = view;
	const name = snapshot === null ? null : otherServerName(snapshot.server);
	const parts = [
		`${at} ${view.name} ${badgeOf(view)}${name === null ? '' : ` ${name}`}`,
	];
	if (snapshot !== null) {
		parts.push(...signalPairs(snapshot.signals, catalog));
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
