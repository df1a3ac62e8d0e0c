import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import type {AlertInput} from '../source/alerts/alert-input.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import type {
	ScrapeFailure,
	ScrapeSuccess,
} from '../source/scrape/scrape-result.js';
import {
	initialTargetState,
	reduceScrape,
	type AlertEvaluator,
} from '../source/pipeline/target-reducer.js';
import {fixturePath} from './support/fixture-path.js';

const url = 'http://127.0.0.1:8000/metrics';
const t0 = Date.parse('2026-08-20T12:00:00.000Z');
const v1Text = readFileSync(
	fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'),
	'utf8',
);

function success(at: number, body = v1Text): ScrapeSuccess {
	return {
		ok: true,
		url,
		at,
		durationMs: 12,
		status: 200,
		contentType: 'text/plain; version=0.0.4',
		body,
	};
}

function failure(at: number): ScrapeFailure {
	return {
		ok: false,
		url,
		at,
		durationMs: 3,
		kind: 'refused',
		message: `${url}: connection refused; is vLLM running?`,
	};
}

function good(at: number, body = v1Text) {
	const result = success(at, body);
	return {
		result,
		page: parseExposition(result.body, 'text'),
		at,
		windowSeconds: 60,
	};
}

test('a good scrape: phase up, snapshot with status and alerts from the evaluator, one history point', () => {
	const inputs: AlertInput[] = [];
	const evaluate: AlertEvaluator = (_memory, input) => {
		inputs.push(input);
		return {
			memory: {alerts: {}, lastRestartAt: null, learnedMaxRunning: 7},
			alerts: [],
			status: 'warn',
		};
	};

	const state = reduceScrape(initialTargetState('gpu-1', url), {
		...good(t0),
		evaluate,
	});
	assert.equal(state.view.phase, 'up');
	assert.equal(state.view.snapshot?.status, 'warn');
	assert.equal(state.view.snapshot?.target, 'gpu-1');
	assert.equal(state.view.snapshot?.error, null);
	assert.equal(state.view.snapshot?.signals.requests_running, 51);
	assert.deepEqual(state.view.history.requests_running, [51]);
	assert.deepEqual(state.view.history.prompt_tokens_per_s, [null]);
	assert.deepEqual(state.view.lastScrape, {
		at: t0,
		durationMs: 12,
		error: null,
	});
	assert.equal(state.alerts?.learnedMaxRunning, 7);
	assert.equal(inputs[0]?.engineCount, 2);
	assert.equal(inputs[0]?.hasVllmMetrics, true);
	assert.equal(inputs[0]?.signals?.requests_waiting, 7);
	assert.equal(state.recent.length, 1);
});

test('the real alert evaluation is used by default', () => {
	const state = reduceScrape(initialTargetState('gpu-1', url), good(t0));
	assert.ok(state.view.snapshot !== null);
	assert.ok(['ok', 'warn', 'crit'].includes(state.view.snapshot.status));
	assert.ok(state.alerts !== undefined);
});

test('a failure after good scrapes: stale, the last snapshot kept with the error, a null history point', () => {
	const first = reduceScrape(initialTargetState('gpu-1', url), good(t0));
	const second = reduceScrape(first, good(t0 + 5000));
	const failed = reduceScrape(second, {
		result: failure(t0 + 10_000),
		page: null,
		at: t0 + 10_000,
		windowSeconds: 60,
	});
	assert.equal(failed.view.phase, 'stale');
	assert.equal(failed.view.snapshot?.signals.requests_running, 51);
	assert.equal(
		failed.view.snapshot?.error,
		`${url}: connection refused; is vLLM running?`,
	);
	assert.equal(failed.view.snapshot?.status, 'down');
	assert.equal(
		failed.view.lastScrape?.error,
		`${url}: connection refused; is vLLM running?`,
	);
	assert.deepEqual(failed.view.history.requests_running, [51, 51, null]);
	assert.deepEqual(failed.view.history.prompt_tokens_per_s, [null, 0, null]);
	assert.equal(failed.derive, second.derive);
	const back = reduceScrape(failed, good(t0 + 15_000));
	assert.equal(back.view.phase, 'up');
	assert.equal(back.view.snapshot?.error, null);
	assert.equal(back.view.snapshot?.signals.prompt_tokens_per_s, 0);
});

test('a failure before any answer: down, no snapshot', () => {
	const state = reduceScrape(initialTargetState('gpu-1', url), {
		result: failure(t0),
		page: null,
		at: t0,
		windowSeconds: 60,
	});
	assert.equal(state.view.phase, 'down');
	assert.equal(state.view.snapshot, null);
	assert.equal(
		state.view.lastScrape?.error,
		`${url}: connection refused; is vLLM running?`,
	);
	assert.deepEqual(state.view.history.kv_cache_usage, [null]);
});

test('a page that does not parse is a failed scrape naming the line', () => {
	const result = success(t0, 'vllm:num_requests_running{model_name="m" 3\n');
	const parsed = parseExposition(result.body, 'text');
	assert.equal(parsed.ok, false);
	const state = reduceScrape(initialTargetState('gpu-1', url), {
		result,
		page: parsed,
		at: t0,
		windowSeconds: 60,
	});
	assert.equal(state.view.phase, 'down');
	assert.ok(
		(state.view.lastScrape?.error ?? '').includes(
			`${url}: not a Prometheus page (line 1: `,
		),
	);
	assert.ok(!(state.view.lastScrape?.error ?? '').includes('\n'));
});

test('history and recent signals stay bounded over many scrapes', () => {
	let state = initialTargetState('gpu-1', url);
	for (let index = 0; index < 300; index++) {
		state = reduceScrape(state, good(t0 + index * 5000));
	}

	assert.equal(state.view.history.requests_running.length, 240);
	assert.equal(state.recent.length, 240);
});
