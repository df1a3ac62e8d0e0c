import assert from 'node:assert/strict';
import {test} from 'node:test';
import {benchResult, tpotOf} from '../source/bench/bench-result.js';
import type {RequestOutcome} from '../source/bench/request-outcome.js';
import {percentileSorted, std} from '../source/bench/stats.js';
import {StreamReader} from '../source/bench/stream-reader.js';

function outcome(
	ttft: number,
	latency: number,
	outputTokens: number,
	ok = true,
): RequestOutcome {
	return {
		ok,
		error: ok ? '' : 'HTTP 500',
		startTime: 0,
		ttft,
		itl: Array.from(
			{length: Math.max(0, outputTokens - 1)},
			() => (latency - ttft) / (outputTokens - 1),
		),
		latency,
		promptTokens: 100,
		outputTokens,
		promptTokensFrom: 'usage',
	};
}

test('percentiles and std follow numpy (linear interpolation, population std)', () => {
	assert.equal(percentileSorted([1, 2, 3, 4], 50), 2.5);
	assert.ok(Math.abs(percentileSorted([1, 2, 3, 4], 99) - 3.97) < 1e-12);
	assert.equal(percentileSorted([], 99), 0);
	assert.equal(std([2, 4, 4, 4, 5, 5, 7, 9]), 2);
});

test('the result has vLLM key names, TPOT excludes the first token, goodput counts requests meeting every SLO', () => {
	const outcomes = [
		outcome(0.1, 1.1, 11),
		outcome(0.5, 1.5, 11),
		outcome(0.2, 0.2, 1),
		outcome(0, 0, 0, false),
	];
	assert.equal(tpotOf(outcomes[0]!), 0.1);
	const result = benchResult({
		outcomes,
		durationS: 2,
		percentiles: [50, 99],
		goodput: {ttft: 300, tpot: 150},
		partial: false,
		peakInFlight: 3,
	});
	assert.equal(result.completed, 3);
	assert.equal(result.failed, 1);
	assert.equal(result.total_output_tokens, 23);
	assert.equal(result.total_input_tokens, 300);
	assert.equal(result.request_throughput, 1.5);
	// The 0.5 s TTFT misses; the one-token answer has TPOT 0, which meets the SLO, as in vLLM.
	assert.equal(result.request_goodput, 1);
	assert.ok(Math.abs(Number(result['mean_tpot_ms']) - 100) < 1e-9);
	assert.ok(Math.abs(Number(result['median_ttft_ms']) - 200) < 1e-9);
	for (const key of [
		'p50_itl_ms',
		'p99_e2el_ms',
		'std_ttft_ms',
		'output_throughput',
		'total_token_throughput',
	]) {
		assert.ok(key in result, key);
	}
});

test('the stream reader times chunks, not tokens, reads usage and stream errors, across split reads', () => {
	const reader = new StreamReader();
	const chunk = (text: string) =>
		`data: {"choices":[{"index":0,"text":"${text}","finish_reason":null}],"usage":null}\n\n`;
	const text =
		chunk(' a') +
		chunk(' b c') +
		'data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}\n\ndata: [DONE]\n\n';
	reader.feed(text.slice(0, 30), 10);
	reader.feed(text.slice(30, 120), 15);
	reader.feed(text.slice(120), 40);
	assert.equal(reader.firstChunkMs, 15);
	assert.deepEqual(reader.itlMs, [25]);
	assert.equal(reader.completionTokens, 3);
	assert.equal(reader.promptTokens, 7);
	assert.ok(reader.done);
	const broken = new StreamReader();
	broken.feed('data: {"error":{"message":"boom","code":500}}\r\n\r\n', 1);
	assert.match(broken.error ?? '', /boom/);
	const chat = new StreamReader();
	chat.feed(
		'data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n',
		1,
	);
	assert.equal(chat.chunks, 0);
});
