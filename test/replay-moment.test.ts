import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	findMoment,
	momentCutoff,
	parseMoment,
} from '../source/record/replay-moment.js';

const start = Date.parse('2025-01-01T00:00:00Z');
/** Records every 10 s for two minutes. */
const times = Array.from({length: 13}, (_, index) => start + index * 10_000);

describe('--at', () => {
	test('offsets from the start: plain seconds, a leading +, s, and h/m/s parts', () => {
		for (const [text, ms] of [
			['90', 90_000],
			['+90', 90_000],
			['90s', 90_000],
			['+1.5s', 1500],
			['0', 0],
			['1m30s', 90_000],
			['+1m30s', 90_000],
			['2m', 120_000],
			['1h', 3_600_000],
			['1h5m', 3_900_000],
			['1h0m2s', 3_602_000],
		] as const) {
			assert.deepEqual(
				parseMoment(text),
				{ok: true, moment: {kind: 'offset', ms}},
				text,
			);
		}
	});

	test('ISO times, with or without a zone', () => {
		assert.deepEqual(parseMoment('2025-01-01T00:01:05Z'), {
			ok: true,
			moment: {kind: 'absolute', epochMs: start + 65_000},
		});
		assert.deepEqual(parseMoment('2025-01-01T01:01:05+01:00'), {
			ok: true,
			moment: {kind: 'absolute', epochMs: start + 65_000},
		});
		assert.deepEqual(parseMoment('2025-01-01 00:01:05'), {
			ok: true,
			moment: {
				kind: 'absolute',
				epochMs: new Date(2025, 0, 1, 0, 1, 5).getTime(),
			},
		});
	});

	test('anything else is a one-line error saying what to give', () => {
		for (const text of [
			'',
			'+',
			'soon',
			'1m30',
			'-30s',
			'90ms',
			'2025-13-45T99:99:99Z',
			'1700000000x',
			's',
		]) {
			const parsed = parseMoment(text);
			assert.equal(parsed.ok, false, text);
			assert.equal(
				parsed.ok ? '' : parsed.error,
				`--at ${JSON.stringify(text)} is not a time; give seconds from the start of the recording (90, +90s, 1m30s, 1h5m) or an ISO time (2025-01-02T14:03:20Z)`,
			);
		}
	});

	test('the cutoff is relative to the first record for offsets', () => {
		assert.equal(momentCutoff({kind: 'offset', ms: 5000}, start), start + 5000);
		assert.equal(momentCutoff({kind: 'absolute', epochMs: 42}, start), 42);
	});

	test('findMoment picks the last record at or before the moment', () => {
		assert.deepEqual(findMoment(times, '35'), {
			ok: true,
			index: 3,
			cutoffMs: start + 35_000,
			beyondEnd: false,
		});
		assert.deepEqual(findMoment(times, '40s'), {
			ok: true,
			index: 4,
			cutoffMs: start + 40_000,
			beyondEnd: false,
		});
		assert.deepEqual(findMoment(times, '0'), {
			ok: true,
			index: 0,
			cutoffMs: start,
			beyondEnd: false,
		});
		assert.deepEqual(findMoment(times, '2025-01-01T00:01:05Z'), {
			ok: true,
			index: 6,
			cutoffMs: start + 65_000,
			beyondEnd: false,
		});
		assert.deepEqual(findMoment(times, '1h'), {
			ok: true,
			index: 12,
			cutoffMs: start + 3_600_000,
			beyondEnd: true,
		});
	});

	test('findMoment errors: before the start, an empty recording, an unparsable value', () => {
		assert.deepEqual(findMoment(times, '2024-12-31T23:59:00Z'), {
			ok: false,
			error:
				'--at 2024-12-31T23:59:00Z is before the recording starts (2025-01-01T00:00:00.000Z); give a later time',
		});
		assert.deepEqual(findMoment([], '10'), {
			ok: false,
			error: 'the recording holds no records',
		});
		assert.equal(findMoment(times, 'later').ok, false);
	});
});
