/**
Hints on SGLang pages name SGLang's own server flags where one does the same as `vllm serve`'s, through one table;
on vLLM and Ray Serve pages they stay as written.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {evaluateAlerts} from '../source/alerts/evaluate-alerts.js';
import {hintFor} from '../source/alerts/server-flags.js';
import {nullSignals} from '../source/catalog/signal-types.js';
import type {DialectId} from '../source/catalog/server-dialects.js';

test('each vLLM flag with an SGLang equivalent is named the SGLang way', () => {
	for (const [vllm, sglang] of [
		['lower --max-num-seqs', 'lower --max-running-requests'],
		['raise --gpu-memory-utilization', 'raise --mem-fraction-static'],
		['raise --max-num-batched-tokens', 'raise --chunked-prefill-size'],
		['lower --max-model-len', 'lower --context-length'],
		['check --max-loras', 'check --max-loras-per-batch'],
		['--kv-cache-dtype fp8', '--kv-cache-dtype fp8_e4m3'],
		[
			'set num_speculative_tokens to 2 in --speculative-config',
			'set --speculative-num-draft-tokens to 2',
		],
		[
			'lower num_speculative_tokens in --speculative-config, or',
			'lower --speculative-num-draft-tokens, or',
		],
		['read the vllm serve log for', 'read the SGLang server log for'],
	] as const) {
		assert.equal(hintFor(vllm, 'sglang'), sglang);
		for (const dialect of ['vllm', 'ray_vllm', null] as const) {
			assert.equal(hintFor(vllm, dialect), vllm, String(dialect));
		}
	}
});

test('the spec decode hint on an SGLang page says how many draft tokens in its flag', () => {
	const hintOn = (dialect: DialectId) =>
		evaluateAlerts(
			undefined,
			{
				at: 0,
				signals: {
					...nullSignals,
					spec_decode_acceptance_rate: 0.2,
					spec_decode_draft_tokens: 100_000,
				},
				recent: [],
				cacheConfig: null,
				scrapeError: null,
				health: 'unknown',
				restarted: false,
				hasVllmMetrics: true,
				dialect,
				deprecatedNames: [],
				instant: true,
			},
			defaultAlertConfig,
		).alerts.find(alert => alert.id === 'spec_decode_acceptance_low')?.hint;
	assert.match(hintOn('sglang') ?? '', /lower --speculative-num-draft-tokens/v);
	assert.doesNotMatch(hintOn('sglang') ?? '', /speculative-config/v);
	assert.match(
		hintOn('vllm') ?? '',
		/num_speculative_tokens in --speculative-config/v,
	);
});
