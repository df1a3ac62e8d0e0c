/**
The one word that says how a target is doing, for the header and for line-oriented output. Scrape trouble outranks
what the last good page said, because that page may no longer be true.
*/
import type {TargetView} from '../store/target-view.js';

export type Badge =
	'OK' | 'WARN' | 'CRIT' | 'DOWN' | 'STALE' | 'RESTARTED' | 'STARTING';

/** How a badge should be coloured: the semantic tone, not a colour, so the UI theme decides. */
export type BadgeTone = 'ok' | 'warn' | 'crit' | 'info';

export function badgeOf(view: TargetView): Badge {
	switch (view.phase) {
		case 'starting': {
			return 'STARTING';
		}

		case 'down': {
			return 'DOWN';
		}

		case 'stale': {
			return 'STALE';
		}

		case 'up': {
			break;
		}
	}

	const {snapshot} = view;
	if (snapshot === null) {
		return 'STARTING';
	}

	if (snapshot.status === 'down') {
		return 'DOWN';
	}

	if (snapshot.status === 'crit') {
		return 'CRIT';
	}

	// A restart resets counters and latency windows: say so before a mere warning.
	// The snapshot flags only the scrape that saw it; the alert holds it long enough to be seen.
	if (
		snapshot.restarted ||
		snapshot.alerts.some(
			alert => alert.id === 'restarted' && alert.state === 'firing',
		)
	) {
		return 'RESTARTED';
	}

	return snapshot.status === 'warn' ? 'WARN' : 'OK';
}

/** How old the last good scrape may get before the data on screen is called stale: two intervals plus the deadline. */
export function staleAfterMs(intervalMs: number, timeoutMs: number): number {
	return 2 * intervalMs + timeoutMs;
}

/** Milliseconds since the last good scrape started, or null before there was one. */
export function dataAgeMs(view: TargetView, now: number): number | null {
	const at = view.snapshot ? Date.parse(view.snapshot.at) : Number.NaN;
	return Number.isNaN(at) ? null : Math.max(0, now - at);
}

/**
The badge at a moment: a target whose last good scrape is older than `staleAfter` is STALE even while no scrape has
failed yet (a server that stopped answering, or a monitor that stopped scraping), so a frozen screen never reads as
healthy.
*/
export function badgeAt(
	view: TargetView,
	now: number,
	staleAfter: number,
): Badge {
	const badge = badgeOf(view);
	const age = dataAgeMs(view, now);
	const live = badge !== 'DOWN' && badge !== 'STARTING';
	return live && age !== null && age > staleAfter ? 'STALE' : badge;
}

export function badgeTone(badge: Badge): BadgeTone {
	switch (badge) {
		case 'OK': {
			return 'ok';
		}

		case 'WARN':
		case 'STALE':
		case 'RESTARTED': {
			return 'warn';
		}

		case 'CRIT':
		case 'DOWN': {
			return 'crit';
		}

		case 'STARTING': {
			return 'info';
		}
	}
}
