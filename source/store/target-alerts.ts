/**
The alerts to show for a target. A target that never answered has no snapshot to carry them, yet its `down`
alert is the one thing worth saying, so it is built here from the scrape error: every view and report reads the
same list.
*/
import type {Alert} from '../alerts/alert.js';
import {downHint} from '../alerts/hints.js';
import type {TargetView} from './target-view.js';

export function downAlert(view: TargetView): Alert {
	const at = view.lastScrape?.at ?? Date.now();
	return {
		id: 'down',
		severity: 'crit',
		state: 'firing',
		message: view.lastScrape?.error ?? 'no scrape has answered yet',
		hint: downHint(view.lastScrape?.error ?? 'no scrape has answered yet'),
		since: at,
	};
}

export function targetAlerts(view: TargetView | undefined): readonly Alert[] {
	if (view === undefined) {
		return [];
	}

	if (view.snapshot !== null) {
		return view.snapshot.alerts;
	}

	return view.phase === 'down' ? [downAlert(view)] : [];
}
