import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	badgeAt,
	badgeOf,
	badgeTone,
	staleAfterMs,
} from '../source/format/badge.js';
import {
	sampleNow,
	sampleSnapshot,
	sampleTargetView,
	startingTargetView,
} from './support/sample-snapshot.js';

test('scrape phase outranks the last page', () => {
	assert.equal(badgeOf(startingTargetView()), 'STARTING');
	assert.equal(
		badgeOf(sampleTargetView({phase: 'down', snapshot: null})),
		'DOWN',
	);
	assert.equal(badgeOf(sampleTargetView({phase: 'stale'})), 'STALE');
});

test('an up target shows its status, a restart before a warning but after a critical', () => {
	const up = (overrides: Parameters<typeof sampleSnapshot>[0]) =>
		badgeOf(sampleTargetView({snapshot: sampleSnapshot(overrides)}));
	assert.equal(up({status: 'ok'}), 'OK');
	assert.equal(up({status: 'warn'}), 'WARN');
	assert.equal(up({status: 'crit'}), 'CRIT');
	assert.equal(up({status: 'down'}), 'DOWN');
	assert.equal(up({status: 'warn', restarted: true}), 'RESTARTED');
	assert.equal(up({status: 'ok', restarted: true}), 'RESTARTED');
	assert.equal(up({status: 'crit', restarted: true}), 'CRIT');
	const restartAlert = {
		id: 'restarted',
		severity: 'warn',
		message: 'counters went backwards: the server restarted',
		hint: 'check the server log for why it restarted',
		since: 0,
	} as const;
	// Scrapes after the one that saw the restart: the firing alert keeps the badge up, a resolved one does not.
	assert.equal(
		up({status: 'warn', alerts: [{...restartAlert, state: 'firing'}]}),
		'RESTARTED',
	);
	assert.equal(
		up({status: 'ok', alerts: [{...restartAlert, state: 'resolved'}]}),
		'OK',
	);
	assert.equal(badgeOf(sampleTargetView({snapshot: null})), 'STARTING');
});

test('tones', () => {
	assert.equal(badgeTone('OK'), 'ok');
	assert.equal(badgeTone('STALE'), 'warn');
	assert.equal(badgeTone('DOWN'), 'crit');
	assert.equal(badgeTone('STARTING'), 'info');
});

test('data older than two intervals plus the deadline is STALE before any scrape fails', () => {
	const view = sampleTargetView({
		snapshot: sampleSnapshot({
			status: 'warn',
			at: new Date(sampleNow).toISOString(),
		}),
	});
	const limit = staleAfterMs(5000, 3000);
	assert.equal(limit, 13_000);
	assert.equal(badgeAt(view, sampleNow + 13_000, limit), 'WARN');
	assert.equal(badgeAt(view, sampleNow + 13_001, limit), 'STALE');
	assert.equal(
		badgeAt(startingTargetView(), sampleNow + 60_000, limit),
		'STARTING',
	);
	const down = sampleTargetView({phase: 'down', snapshot: null});
	assert.equal(badgeAt(down, sampleNow + 60_000, limit), 'DOWN');
});
