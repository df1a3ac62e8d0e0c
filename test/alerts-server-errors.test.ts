/**
The server_errors rule: HTTP 5xx answers warn once they are a share of the answers with a count behind it, corrupted
requests (NaN logits) are critical, each with its own hint, and a server that reports neither is never judged.
*/
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {answeredInput, type AlertMemory} from '../source/alerts/alert-input.js';
import {
	buildAlertConfig,
	defaultAlertConfig,
	type AlertConfig,
} from '../source/alerts/alert-config.js';
import {
	evaluateAlerts,
	type AlertEvaluation,
} from '../source/alerts/evaluate-alerts.js';
import {nullSignals} from '../source/catalog/signal-types.js';
import type {Signals} from '../source/derive/snapshot.js';

const start = Date.parse('2026-05-04T12:00:00.000Z');
const step = 5000;

/** Scrapes 5 s apart, each with its rates since the one before, through the evaluator as the poller feeds it. */
function run(
	scrapes: ReadonlyArray<Partial<Signals>>,
	config: AlertConfig = defaultAlertConfig,
): AlertEvaluation[] {
	let memory: AlertMemory | undefined;
	let recent: Array<{at: number; signals: Signals}> = [];
	return scrapes.map((partial, index) => {
		const at = start + index * step;
		const signals = {...nullSignals, ...partial};
		recent = [...recent, {at, signals}].slice(-120);
		const input = answeredInput(at, signals, recent, false);
		const result = evaluateAlerts(memory, input, config);
		memory = result.memory;
		return result;
	});
}

const answers = (ok: number, failed?: number): Partial<Signals> => ({
	http_requests_per_s_by_status:
		failed === undefined ? {'2xx': ok} : {'2xx': ok, '5xx': failed},
});

const repeat = (count: number, scrape: Partial<Signals>) =>
	Array.from({length: count}, () => scrape);

const serverErrors = (result: AlertEvaluation | undefined) =>
	result?.alerts.find(alert => alert.id === 'server_errors');

describe('server_errors', () => {
	test('one 5xx in a minute is no alert, though it is 1.7 % of the answers', () => {
		// 1 answer/s; one scrape interval holds a single 5xx (0.2/s for 5 s).
		const results = run([
			answers(1, 0),
			answers(0.8, 0.2),
			...repeat(12, answers(1, 0)),
		]);
		for (const result of results) {
			assert.equal(serverErrors(result), undefined);
		}
	});

	test('the same single 5xx warns where the minimum count is 1', () => {
		const config = buildAlertConfig({
			thresholdFlags: ['server_errors.min_errors=1'],
		});
		assert.ok(config.ok);
		const results = run([answers(1, 0), answers(0.8, 0.2)], config.config);
		const alert = serverErrors(results[1]);
		assert.equal(alert?.state, 'firing');
		assert.equal(alert?.severity, 'warn');
		assert.match(
			alert?.message ?? '',
			/^20 % of HTTP answers are 5xx: 1 of 5 in the last 5 s$/v,
		);
	});

	test('5 % of answers failing warns once 5 of them are in the window, with the traceback hint', () => {
		// 10 answers/s, half an error a second: 2.5 errors per scrape interval.
		const results = run([answers(10, 0), ...repeat(14, answers(9.5, 0.5))]);
		assert.equal(serverErrors(results[1]), undefined, '2.5 errors: too few');
		const alert = serverErrors(results[2]);
		assert.equal(alert?.state, 'firing');
		assert.equal(alert?.severity, 'warn');
		assert.equal(results[2]?.status, 'warn');
		assert.match(
			alert?.message ?? '',
			/^5 % of HTTP answers are 5xx: 5 of 100 in the last 10 s$/v,
		);
		assert.match(alert?.hint ?? '', /vllm serve log for the traceback/v);
		assert.doesNotMatch(alert?.hint ?? '', /NaN/v);
		// The window is a minute: 12 scrapes of 5 s.
		assert.match(
			serverErrors(results[14])?.message ?? '',
			/: 30 of 600 in the last 1 min$/v,
		);
	});

	test('many 5xx that are 0.2 % of a busy server answers stay quiet', () => {
		const results = run([answers(1000, 0), ...repeat(14, answers(998, 2))]);
		assert.equal(serverErrors(results.at(-1)), undefined);
	});

	test('it resolves once a minute has passed without errors', () => {
		const results = run([
			answers(10, 0),
			...repeat(4, answers(9, 1)),
			...repeat(14, answers(10, 0)),
		]);
		assert.equal(serverErrors(results[4])?.state, 'firing');
		// 20 errors in 400 answers, then none: the share falls under clear (0.5 %) as the window moves on.
		assert.equal(serverErrors(results[12])?.state, 'firing');
		assert.equal(serverErrors(results[16])?.state, 'resolved');
	});

	test('one corrupted request is critical, with a hint about NaN logits rather than the traceback', () => {
		const results = run([
			{...answers(10, 0), corrupted_requests_per_s: 0},
			{...answers(10, 0), corrupted_requests_per_s: 0.2},
		]);
		assert.equal(serverErrors(results[0]), undefined);
		const alert = serverErrors(results[1]);
		assert.equal(alert?.state, 'firing');
		assert.equal(alert?.severity, 'crit');
		assert.equal(results[1]?.status, 'crit');
		assert.match(
			alert?.message ?? '',
			/^1 corrupted requests \(NaN logits\) in the last 5 s$/v,
		);
		assert.match(alert?.hint ?? '', /logits held NaNs.*--dtype/v);
	});

	test('a server that reports neither answers by status nor corrupted requests is not judged', () => {
		const results = run(repeat(14, {requests_running: 3}));
		for (const result of results) {
			assert.equal(serverErrors(result), undefined);
		}
	});

	test('a page with answers but no 5xx series has had no errors', () => {
		const results = run(repeat(14, answers(50)));
		assert.equal(serverErrors(results.at(-1)), undefined);
	});
});
