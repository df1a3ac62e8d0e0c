/**
Alerts on a server with speculative decoding: per-token latency is judged per request, the hint speaks of
num_speculative_tokens where acceptance falls with the draft position, and acceptance needs a minimum volume.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {answeredInput, type AlertInput} from '../source/alerts/alert-input.js';
import {evaluateAlerts} from '../source/alerts/evaluate-alerts.js';
import {nullSignals, type Signals} from '../source/catalog/signal-types.js';

const at = Date.parse('2026-12-03T12:00:00Z');

const latency = (p95: number) => ({
	p50: null,
	p90: null,
	p95,
	p99: null,
	mean: null,
});

function judge(signals: Partial<Signals>) {
	const input: AlertInput = {
		...answeredInput(at, {...nullSignals, ...signals}, [], true),
		generation: 'v1',
	};
	return evaluateAlerts(undefined, input, defaultAlertConfig).alerts;
}

const specDecode: Partial<Signals> = {
	requests_running: 4,
	spec_decode_acceptance_rate: 0.5,
	spec_decode_mean_acceptance_length: 2.5,
	spec_decode_draft_tokens: 30_000,
	spec_decode_acceptance_by_position: {0: 0.8, 1: 0.5, 2: 0.2},
};

test('with spec decode the per-request TPOT is judged, not the per-step ITL', () => {
	const under = judge({
		...specDecode,
		itl_seconds: latency(0.045),
		tpot_seconds: latency(0.018),
	});
	assert.equal(
		under.find(alert => alert.id === 'itl_p95_high'),
		undefined,
	);
	// Without spec decode the same ITL fires.
	const plain = judge({itl_seconds: latency(0.045), requests_running: 4});
	assert.match(
		plain.find(alert => alert.id === 'itl_p95_high')?.message ?? '',
		/inter-token latency p95 45 ms/u,
	);
});

test('over the limit with acceptance falling by position, the hint names num_speculative_tokens, not NVLink', () => {
	const alert = judge({
		...specDecode,
		itl_seconds: latency(0.09),
		tpot_seconds: latency(0.04),
	}).find(candidate => candidate.id === 'itl_p95_high');
	assert.match(
		alert?.message ?? '',
		/time per output token p95 40 ms per request \(ITL 90 ms per engine step/u,
	);
	assert.match(
		alert?.hint ?? '',
		/position 2 \(20 % accepted, 80 % at position 0\): set num_speculative_tokens to 2/u,
	);
	assert.doesNotMatch(alert?.hint ?? '', /NVLink/u);
});

test('low acceptance alerts only over the minimum draft volume', () => {
	const low = {...specDecode, spec_decode_acceptance_rate: 0.2};
	assert.ok(
		judge(low).some(alert => alert.id === 'spec_decode_acceptance_low'),
	);
	assert.ok(
		!judge({...low, spec_decode_draft_tokens: 900}).some(
			alert => alert.id === 'spec_decode_acceptance_low',
		),
	);
});
