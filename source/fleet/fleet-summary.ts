/**
The fleet table's rows and totals, computed from the targets' views. Pure, so the view only lays out, and the
`--once` fleet document and the table agree on what "worst" means.
*/
import type {Alert, Severity} from '../alerts/alert.js';
import type {Status} from '../derive/snapshot.js';
import {badgeOf, type Badge} from '../format/badge.js';
import type {TargetView} from '../store/target-view.js';
import {targetAlerts} from '../store/target-alerts.js';

export type FleetRow = {
	/** Index into `MonitorState.targets`, kept through sorting and filtering so Enter drills into the right one. */
	readonly index: number;
	readonly name: string;
	readonly badge: Badge;
	/** Status for ordering: a target without a good scrape is `down`. */
	readonly status: Status;
	/** First served model, or null before the first good scrape. */
	readonly model: string | null;
	readonly running: number | null;
	readonly waiting: number | null;
	/** Fraction 0..1. */
	readonly kvCacheUsage: number | null;
	readonly generationTokensPerS: number | null;
	readonly ttftP95: number | null;
	/** Firing alerts. */
	readonly alerts: number;
	readonly worstAlert: Severity | null;
	/** Why it is not OK, in one line: the scrape error of a dead or stale target, else its worst firing alert. */
	readonly reason: string | null;
};

export type FleetTotals = {
	readonly targets: number;
	/** Targets whose last scrape worked. */
	readonly up: number;
	readonly running: number;
	readonly waiting: number;
	readonly generationTokensPerS: number;
	/** Mean over targets that report it; null when none does. */
	readonly meanKvCacheUsage: number | null;
	readonly alerts: number;
	/** Worst status of all targets: what `--once` exits with. */
	readonly status: Status;
};

export type FleetSortKey =
	'status' | 'name' | 'running' | 'waiting' | 'kv' | 'gen' | 'ttft' | 'alerts';

/** The `s` key's ladder. */
export const fleetSortKeys: readonly FleetSortKey[] = [
	'status',
	'name',
	'running',
	'waiting',
	'kv',
	'gen',
	'ttft',
	'alerts',
];

export function nextSortKey(key: FleetSortKey): FleetSortKey {
	return fleetSortKeys[
		(fleetSortKeys.indexOf(key) + 1) % fleetSortKeys.length
	]!;
}

const statusRank: Readonly<Record<Status, number>> = {
	ok: 0,
	warn: 1,
	crit: 2,
	down: 3,
};

const severityRank: Readonly<Record<Severity, number>> = {
	info: 0,
	warn: 1,
	crit: 2,
};

export function worstStatus(statuses: Iterable<Status>): Status {
	let worst: Status = 'ok';
	for (const status of statuses) {
		if (statusRank[status] > statusRank[worst]) {
			worst = status;
		}
	}

	return worst;
}

function statusOfView(view: TargetView): Status {
	if (view.phase === 'down' || view.snapshot === null) {
		return 'down';
	}

	// A stale target's numbers may be gone already: judge it like a dead one.
	return view.phase === 'stale' ? 'down' : view.snapshot.status;
}

function reasonOf(view: TargetView, firing: readonly Alert[]): string | null {
	if (view.phase === 'down' || view.phase === 'stale') {
		const error = view.lastScrape?.error ?? null;
		// The row already names the target: a leading "URL: " would only push the cause out of sight.
		return error?.startsWith(`${view.url}: `)
			? error.slice(view.url.length + 2)
			: error;
	}

	const worst = firing.toSorted(
		(a, b) => severityRank[b.severity] - severityRank[a.severity],
	)[0];
	return worst?.message ?? null;
}

export function fleetRow(view: TargetView, index: number): FleetRow {
	const {snapshot} = view;
	const signals = snapshot?.signals;
	// A server never reached has no snapshot, but its `down` alert counts all the same.
	const firing = targetAlerts(view).filter(alert => alert.state === 'firing');
	let worstAlert: Severity | null = null;
	for (const alert of firing) {
		if (
			worstAlert === null ||
			severityRank[alert.severity] > severityRank[worstAlert]
		) {
			worstAlert = alert.severity;
		}
	}

	return {
		index,
		name: view.name,
		badge: badgeOf(view),
		status: statusOfView(view),
		model: snapshot?.server.models[0] ?? null,
		running: signals?.requests_running ?? null,
		waiting: signals?.requests_waiting ?? null,
		kvCacheUsage: signals?.kv_cache_usage ?? null,
		generationTokensPerS: signals?.generation_tokens_per_s ?? null,
		ttftP95: signals?.ttft_seconds?.p95 ?? null,
		alerts: firing.length,
		worstAlert,
		reason: reasonOf(view, firing),
	};
}

export function fleetRows(views: readonly TargetView[]): FleetRow[] {
	return views.map((view, index) => fleetRow(view, index));
}

function sum(values: ReadonlyArray<number | null>): number {
	let total = 0;
	for (const value of values) {
		if (value !== null && Number.isFinite(value)) {
			total += value;
		}
	}

	return total;
}

export function fleetTotals(rows: readonly FleetRow[]): FleetTotals {
	const kv = rows
		.map(row => row.kvCacheUsage)
		.filter(
			(value): value is number => value !== null && Number.isFinite(value),
		);
	return {
		targets: rows.length,
		up: rows.filter(row => row.status !== 'down').length,
		running: sum(rows.map(row => row.running)),
		waiting: sum(rows.map(row => row.waiting)),
		generationTokensPerS: sum(rows.map(row => row.generationTokensPerS)),
		meanKvCacheUsage:
			kv.length === 0 ? null : kv.reduce((a, b) => a + b, 0) / kv.length,
		alerts: rows.reduce((total, row) => total + row.alerts, 0),
		status: worstStatus(rows.map(row => row.status)),
	};
}

/** Missing numbers sort last whatever the direction: `--` is not a small value. */
function byNumber(
	a: number | null,
	b: number | null,
	descending: boolean,
): number {
	if (a === null || b === null) {
		return (a === null ? 1 : 0) - (b === null ? 1 : 0);
	}

	return descending ? b - a : a - b;
}

/** Name order with numbers compared as numbers, so gpu-2 comes before gpu-10. */
const collator = new Intl.Collator('en', {numeric: true});

function compareRows(a: FleetRow, b: FleetRow, key: FleetSortKey): number {
	switch (key) {
		case 'status': {
			// Worst first: what needs attention is at the top.
			return statusRank[b.status] - statusRank[a.status] || b.alerts - a.alerts;
		}

		case 'name': {
			return 0;
		}

		case 'running': {
			return byNumber(a.running, b.running, true);
		}

		case 'waiting': {
			return byNumber(a.waiting, b.waiting, true);
		}

		case 'kv': {
			return byNumber(a.kvCacheUsage, b.kvCacheUsage, true);
		}

		case 'gen': {
			return byNumber(a.generationTokensPerS, b.generationTokensPerS, true);
		}

		case 'ttft': {
			return byNumber(a.ttftP95, b.ttftP95, true);
		}

		case 'alerts': {
			return b.alerts - a.alerts;
		}
	}
}

/** Busiest or worst first for numbers and status; names break ties, so the order is stable between frames. */
export function sortFleet(
	rows: readonly FleetRow[],
	key: FleetSortKey,
): FleetRow[] {
	return rows.toSorted(
		(a, b) =>
			compareRows(a, b, key) ||
			collator.compare(a.name, b.name) ||
			a.index - b.index,
	);
}

/**
Rows whose name, model or badge contains `text` (case-insensitive), or, for `status:warn` style text, whose status
is at least that bad. Empty text keeps every row.
*/
export function filterFleet(
	rows: readonly FleetRow[],
	text: string,
): FleetRow[] {
	const needle = text.trim().toLowerCase();
	if (needle === '') {
		return [...rows];
	}

	if (needle.startsWith('status:')) {
		const wanted = needle.slice('status:'.length);
		const rank = Object.entries<number>(statusRank).find(
			([status]) => status === wanted,
		)?.[1];
		if (rank === undefined) {
			return [];
		}

		return rows.filter(row => statusRank[row.status] >= rank);
	}

	return rows.filter(
		row =>
			row.name.toLowerCase().includes(needle) ||
			(row.model?.toLowerCase().includes(needle) ?? false) ||
			row.badge.toLowerCase() === needle,
	);
}

/** The `f` key's ladder: everything, then only targets at least this bad. */
export const statusFilters: readonly string[] = [
	'',
	'status:warn',
	'status:crit',
	'status:down',
];

export function nextStatusFilter(current: string): string {
	const index = statusFilters.indexOf(current);
	return statusFilters[(index + 1) % statusFilters.length]!;
}
