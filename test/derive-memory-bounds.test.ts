import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	deriveSnapshot,
	type DeriveMemory,
} from '../source/derive/derive-snapshot.js';
import {readingsOf} from '../source/derive/derive-memory.js';
import type {Page} from '../source/parse/page.js';
import {parseExposition} from '../source/parse/parse-exposition.js';

const t0 = Date.parse('2026-08-20T12:00:00.000Z');

/** A steady engine 0 and a second model whose name changes every 20 scrapes (label churn). */
function churningPage(scrape: number): Page {
	const churn = `m${Math.floor(scrape / 20)}`;
	const text = [
		'# TYPE vllm:prompt_tokens_total counter',
		`vllm:prompt_tokens_total{engine="0",model_name="steady"} ${scrape * 100}`,
		`vllm:prompt_tokens_total{engine="0",model_name="${churn}"} ${scrape * 7}`,
		'# TYPE vllm:request_success_total counter',
		...['stop', 'length', 'abort'].map(
			reason =>
				`vllm:request_success_total{engine="0",finished_reason="${reason}",model_name="${churn}"} ${scrape}`,
		),
		'',
	].join('\n');
	const result = parseExposition(text, 'text');
	assert.ok(result.ok);
	return result.page;
}

test('series that left the pages are forgotten: memory follows the live series under label churn', () => {
	let memory: DeriveMemory | undefined;
	let maxCatalog = 0;
	let maxBuffer = 0;
	for (let scrape = 0; scrape < 2000; scrape++) {
		const result = deriveSnapshot(memory, {
			page: churningPage(scrape),
			at: t0 + scrape * 5000,
			target: 't',
			windowSeconds: 60,
		});
		memory = result.memory;
		maxCatalog = Math.max(maxCatalog, memory.catalog.size());
		maxBuffer = Math.max(maxBuffer, memory.readings.buffer.length);
		if (scrape > 0 && scrape % 20 !== 0) {
			// The steady series keeps its rate through every renumbering: 100 tokens per 5 s from it, 7 from the other.
			assert.equal(
				result.observation.per_model.find(row => row.model === 'steady')
					?.signals.prompt_tokens_per_s,
				20,
			);
		}
	}

	// 2000 scrapes saw 100 model names (500 series); 5 are live, plus those seen within the 300 s retention.
	assert.ok(maxCatalog <= 200, `catalog reached ${maxCatalog} series`);
	// 61 readings span the retention; dropped readings must not stay reachable up to the 720-reading cap.
	assert.ok(readingsOf(memory!).length <= 62);
	assert.ok(maxBuffer <= 140, `ring buffer reached ${maxBuffer} readings`);
});
