import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseHeaderFlag} from '../source/scrape/header-flag.js';

test('parseHeaderFlag splits at the first colon and trims', () => {
	assert.deepEqual(parseHeaderFlag('X-Team: infra'), {
		ok: true,
		name: 'X-Team',
		value: 'infra',
	});
	assert.deepEqual(parseHeaderFlag('Authorization:Bearer a:b:c'), {
		ok: true,
		name: 'Authorization',
		value: 'Bearer a:b:c',
	});
	assert.deepEqual(parseHeaderFlag('X-Empty:'), {
		ok: true,
		name: 'X-Empty',
		value: '',
	});
});

test('parseHeaderFlag rejects malformed flags with a clear error', () => {
	const cases: ReadonlyArray<readonly [string, RegExp]> = [
		['X-Team infra', /expected 'Name: value'/u],
		[': value', /header name before ':' is empty/u],
		['X Team: infra', /not a valid header name/u],
		['Host: evil', /'Host': managed by the HTTP client/u],
		['Content-Length: 5', /managed by the HTTP client/u],
		['X-Bad: a\r\nInjected: yes', /control characters/u],
	];
	for (const [flag, error] of cases) {
		const result = parseHeaderFlag(flag);
		assert.equal(result.ok, false, flag);
		if (!result.ok) {
			assert.match(result.error, error);
			assert.ok(result.error.startsWith('invalid --header'));
		}
	}
});

test('a malformed --header never shows its value, and shows a name only when it is one', () => {
	const secrets: ReadonlyArray<readonly [string, string]> = [
		['X-Other SECRET456', 'SECRET456'],
		['Bearer SECRET456: x', 'SECRET456'],
		['X-Key: SECRET456\r\nX-More: 1', 'SECRET456'],
		['Host: SECRET456', 'SECRET456'],
	];
	for (const [flag, secret] of secrets) {
		const result = parseHeaderFlag(flag);
		assert.ok(!result.ok, flag);
		if (!result.ok) {
			assert.ok(!result.error.includes(secret), result.error);
		}
	}
});
