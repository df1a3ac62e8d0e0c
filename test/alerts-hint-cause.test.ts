import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	preemptionCause,
	scrapeFailureCause,
} from '../source/alerts/hint-cause.js';
import {downHint} from '../source/alerts/hints.js';
import {downAlert} from '../source/store/target-alerts.js';
import {sampleSignals, sampleTargetView} from './support/sample-snapshot.js';

test('a dead target is told what its error means, not that vLLM is loading', () => {
	const hintFor = (error: string) =>
		downAlert(
			sampleTargetView({
				phase: 'down',
				snapshot: null,
				lastScrape: {at: 0, durationMs: 3000, error},
			}),
		).hint;
	assert.match(
		hintFor('http://x:8000/metrics: timed out after 3s'),
		/raise --timeout/,
	);
	assert.match(
		hintFor('http://x:8000/metrics: HTTP 404 Not Found'),
		/no \/metrics at that path/,
	);
	assert.match(hintFor('getaddrinfo ENOTFOUND gpu-box'), /does not resolve/);
	assert.match(
		hintFor('the page is HTML, not Prometheus text'),
		/something else than Prometheus/,
	);
	assert.match(
		hintFor('connection refused'),
		/opens its port only after the model has loaded/,
	);
	for (const error of ['timed out', 'HTTP 404', 'ENOTFOUND', 'HTML']) {
		assert.doesNotMatch(
			hintFor(error),
			/refuses connections while the model loads/,
		);
	}

	assert.equal(scrapeFailureCause('connection refused'), null);
	assert.match(downHint('getaddrinfo EAI_AGAIN host'), /does not resolve/);
});

test('preemptions below 80 % KV point away from the KV cache', () => {
	assert.match(
		preemptionCause({...sampleSignals, kv_cache_usage: 0.62})!,
		/only 62 % used.*--max-num-seqs/,
	);
	assert.equal(preemptionCause({...sampleSignals, kv_cache_usage: 0.95}), null);
});
