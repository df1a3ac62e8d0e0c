import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {answeredInput} from '../source/alerts/alert-input.js';
import {evaluateAlerts} from '../source/alerts/evaluate-alerts.js';
import {
	findDeprecatedNames,
	hasVllmFamilies,
} from '../source/catalog/deprecated-names.js';
import {
	applyThresholds,
	buildAlertConfig,
	defaultAlertConfig,
	parseThresholdFlag,
	type AlertConfig,
} from '../source/alerts/alert-config.js';
import {loadAlertConfigText} from '../source/config/alert-config-file.js';
import type {Signals} from '../source/derive/snapshot.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {nullSignals} from '../source/catalog/signal-types.js';
import {fixturePath} from './support/fixture-path.js';

function errorOf(result: {ok: boolean; error?: string}): string {
	assert.equal(result.ok, false);
	return result.error ?? '';
}

describe('--threshold id.key=value', () => {
	test('parses plain numbers, durations, percentages and latency units', () => {
		assert.deepEqual(parseThresholdFlag('kv_cache_pressure.value=0.95'), {
			ok: true,
			id: 'kv_cache_pressure',
			key: 'value',
			value: 0.95,
		});
		assert.deepEqual(parseThresholdFlag('kv_cache_pressure.value=95%'), {
			ok: true,
			id: 'kv_cache_pressure',
			key: 'value',
			value: 0.95,
		});
		assert.deepEqual(parseThresholdFlag('queue_backlog.for=2m'), {
			ok: true,
			id: 'queue_backlog',
			key: 'for',
			value: 120,
		});
		assert.deepEqual(parseThresholdFlag('ttft_p95_high.value=0.8s'), {
			ok: true,
			id: 'ttft_p95_high',
			key: 'value',
			value: 800,
		});
		assert.deepEqual(parseThresholdFlag('ttft_p95_high.value=750'), {
			ok: true,
			id: 'ttft_p95_high',
			key: 'value',
			value: 750,
		});
	});

	test('errors name the cause and the valid choices', () => {
		assert.equal(
			errorOf(parseThresholdFlag('kvvalue')),
			'--threshold "kvvalue": expected id.key=value, e.g. kv_cache_pressure.value=0.95',
		);
		const unknownId = errorOf(parseThresholdFlag('kv.value=1'));
		assert.match(
			unknownId,
			/^--threshold "kv.value=1": unknown alert id "kv"; valid ids: ttft_p95_high, itl_p95_high, /,
		);
		assert.match(unknownId, /, deprecated_names(?:, |$)/);
		assert.match(unknownId, /, gpu_throttling(?:, |$)/);
		assert.equal(
			errorOf(parseThresholdFlag('kv_cache_pressure.vale=1')),
			'--threshold "kv_cache_pressure.vale=1": unknown key "vale"; valid keys for kv_cache_pressure: value, clear, for',
		);
		assert.equal(
			errorOf(parseThresholdFlag('kv_cache_pressure.value=abc')),
			'--threshold "kv_cache_pressure.value=abc": "abc" is not valid; expected a fraction 0..1 (e.g. 0.9 or 90%)',
		);
		assert.equal(
			errorOf(parseThresholdFlag('kv_cache_pressure.value=90')),
			'--threshold "kv_cache_pressure.value=90": 90 is above 1; expected a fraction 0..1 (e.g. 0.9 or 90%)',
		);
		assert.match(
			errorOf(parseThresholdFlag('queue_backlog.for=5 minutes')),
			/expected seconds \(e\.g\. 60, 90s or 5m\)/,
		);
		assert.match(
			errorOf(parseThresholdFlag('queue_backlog.value=-1')),
			/not valid; expected a count >= 0/,
		);
		assert.match(
			errorOf(parseThresholdFlag('queue_backlog.value=')),
			/"" is not valid/,
		);
		assert.match(
			errorOf(parseThresholdFlag('queue_backlog.value=0x10')),
			/not valid/,
		);
	});
});

describe('applyThresholds', () => {
	test('a new value moves clear along at the same ratio', () => {
		const result = applyThresholds(defaultAlertConfig, [
			{id: 'ttft_p95_high', key: 'value', value: 800},
		]);
		assert.ok(result.ok);
		assert.deepEqual(result.config.thresholds.ttft_p95_high, {
			value: 800,
			clear: 640,
			for: 60,
		});
		assert.deepEqual(
			defaultAlertConfig.thresholds.ttft_p95_high,
			{value: 500, clear: 400, for: 60},
			'defaults untouched',
		);
	});

	test('a clear on the wrong side of value is refused', () => {
		assert.equal(
			errorOf(
				applyThresholds(defaultAlertConfig, [
					{id: 'kv_cache_pressure', key: 'clear', value: 0.95},
				]),
			),
			'kv_cache_pressure: clear (0.95) is above value (0.9); clear is where the alert stops, so set it at or below value',
		);
		assert.match(
			errorOf(
				applyThresholds(defaultAlertConfig, [
					{id: 'prefix_cache_low', key: 'clear', value: 0.3},
				]),
			),
			/^prefix_cache_low: clear \(0.3\) is below value \(0.4\)/,
		);
	});

	test('overrides change what fires', () => {
		const signals: Signals = {
			...nullSignals,
			ttft_seconds: {p50: null, p90: null, p95: 0.7, p99: null, mean: null},
		};
		const judge = (config: AlertConfig) =>
			evaluateAlerts(
				undefined,
				answeredInput(0, signals, [], true),
				config,
			).alerts.map(alert => alert.id);
		assert.deepEqual(judge(defaultAlertConfig), ['ttft_p95_high']);
		const raised = buildAlertConfig({
			thresholdFlags: ['ttft_p95_high.value=800'],
		});
		assert.ok(raised.ok);
		assert.deepEqual(judge(raised.config), []);
	});
});

describe('YAML --config', () => {
	test('a full file', () => {
		const result = loadAlertConfigText(
			[
				'max_num_seqs: 128',
				'resolved_for: 2m',
				'disabled: [deprecated_names]',
				'thresholds:',
				'  kv_cache_pressure: {value: 0.95, clear: 0.9, for: 2m}',
				'  ttft_p95_high:',
				'    value: 1s',
				'  prefix_cache_low: {value: 30%}',
			].join('\n'),
			defaultAlertConfig,
		);
		assert.ok(result.ok, result.ok ? '' : result.error);
		assert.equal(result.config.maxNumSeqs, 128);
		assert.equal(result.config.resolvedFor, 120);
		assert.deepEqual(result.config.disabled, ['deprecated_names']);
		assert.deepEqual(result.config.thresholds.kv_cache_pressure, {
			value: 0.95,
			clear: 0.9,
			for: 120,
		});
		assert.deepEqual(result.config.thresholds.ttft_p95_high, {
			value: 1000,
			clear: 800,
			for: 60,
		});
		assert.equal(result.config.thresholds.prefix_cache_low.value, 0.3);
		assert.equal(result.config.thresholds.prefix_cache_low.clear, 0.375);
	});

	test('an empty file is the base config', () => {
		assert.deepEqual(loadAlertConfigText('', defaultAlertConfig), {
			ok: true,
			config: defaultAlertConfig,
		});
	});

	test('errors give the path and what is accepted, on one line', () => {
		const cases: Array<[string, string | RegExp]> = [
			[
				'treshold: 1',
				'config: unknown key "treshold"; valid keys: thresholds, max_num_seqs, max_num_batched_tokens, disabled, resolved_for',
			],
			[
				'thresholds:\n  kv_pressure: {value: 1}',
				/^thresholds: unknown alert id "kv_pressure"; valid ids: ttft_p95_high, /,
			],
			[
				'thresholds:\n  kv_cache_pressure: {vaule: 0.9}',
				'thresholds.kv_cache_pressure: unknown key "vaule"; valid keys for kv_cache_pressure: value, clear, for',
			],
			[
				'thresholds:\n  kv_cache_pressure: {value: lots}',
				'thresholds.kv_cache_pressure.value: "lots" is not valid; expected a fraction 0..1 (e.g. 0.9 or 90%)',
			],
			[
				'thresholds:\n  kv_cache_pressure: 0.9',
				'thresholds.kv_cache_pressure: expected a mapping like {value: 1, for: 60}, got 0.9',
			],
			[
				'max_num_seqs: many',
				'max_num_seqs: expected a whole number >= 1 (the server\'s --max-num-seqs), got "many"',
			],
			[
				'disabled: kv_cache_pressure',
				'disabled: expected a list of alert ids, e.g. [deprecated_names], got "kv_cache_pressure"',
			],
			['disabled: [kv]', /^disabled\.0: unknown alert id "kv"; valid ids: /],
			[
				'resolved_for: soon',
				'resolved_for: "soon" is not valid; expected seconds (e.g. 60, 90s or 2m)',
			],
			['thresholds: [1, 2]', /^thresholds: expected a mapping/],
			[
				'thresholds: {kv_cache_pressure: {value: 0.9}',
				/^config is not valid YAML \(line \d+\): /,
			],
			[
				'a: 1\na: 2',
				/^config is not valid YAML \(line 2\): Map keys must be unique/,
			],
			[
				'thresholds:\n  kv_cache_pressure: {clear: 0.95}',
				/^kv_cache_pressure: clear \(0\.95\) is above value \(0\.9\)/,
			],
		];
		for (const [text, expected] of cases) {
			const error = errorOf(loadAlertConfigText(text, defaultAlertConfig));
			assert.ok(!error.includes('\n'), `one line: ${error}`);
			if (typeof expected === 'string') {
				assert.equal(error, expected, text);
			} else {
				assert.match(error, expected, text);
			}
		}
	});

	test('buildAlertConfig: file, then flags, then --max-num-seqs; errors name the file', () => {
		const file = (text: string) => ({
			path: 'alerts.yaml',
			loaded: loadAlertConfigText(text, defaultAlertConfig),
		});
		const result = buildAlertConfig({
			configFile: file(
				'max_num_seqs: 64\nthresholds: {queue_backlog: {value: 20}}',
			),
			thresholdFlags: ['queue_backlog.value=30'],
			maxNumSeqs: 256,
		});
		assert.ok(result.ok);
		assert.equal(result.config.thresholds.queue_backlog.value, 30);
		assert.equal(result.config.thresholds.queue_backlog.clear, 15);
		assert.equal(result.config.maxNumSeqs, 256);
		assert.match(
			errorOf(buildAlertConfig({configFile: file('x: 1')})),
			/^alerts\.yaml: config: unknown key "x"/,
		);
		assert.match(
			errorOf(buildAlertConfig({thresholdFlags: ['nope']})),
			/^--threshold "nope": expected id\.key=value/,
		);
	});
});

describe('deprecated names', () => {
	test('finds deprecated families whatever their suffix, once each, sorted', () => {
		assert.deepEqual(
			findDeprecatedNames([
				'vllm:num_requests_running',
				'vllm:gpu_cache_usage_perc',
				'vllm:time_per_output_token_seconds',
				'vllm:time_per_output_token_seconds_created',
				'vllm:gpu_prefix_cache_queries_total',
				'vllm:prompt_tokens_total',
				'vllm:iteration_tokens_total',
				'vllm:kv_cache_usage_perc',
			]),
			[
				'vllm:gpu_cache_usage_perc',
				'vllm:gpu_prefix_cache_queries',
				'vllm:time_per_output_token_seconds',
			],
		);
		assert.deepEqual(
			findDeprecatedNames([
				'vllm:kv_cache_usage_perc',
				'vllm:inter_token_latency_seconds',
			]),
			[],
		);
	});

	test('on the real V0 page and the generated V1 page', () => {
		const families = (name: string) => {
			const text = readFileSync(fixturePath(name), 'utf8');
			const parsed = parseExposition(text, 'text');
			assert.ok(parsed.ok);
			return [...parsed.page.families.keys()];
		};

		const v0 = families('vllm-v0-opt125m.txt');
		assert.equal(hasVllmFamilies(v0), true);
		assert.deepEqual(findDeprecatedNames(v0), [
			'vllm:avg_generation_throughput_toks_per_s',
			'vllm:avg_prompt_throughput_toks_per_s',
			'vllm:cpu_cache_usage_perc',
			'vllm:gpu_cache_usage_perc',
			'vllm:num_requests_swapped',
			'vllm:request_params_best_of',
			'vllm:time_per_output_token_seconds',
		]);
		assert.deepEqual(
			findDeprecatedNames(families('vllm-v1-generated-dp2-specdec-lora.txt')),
			[],
		);
	});

	test('hasVllmFamilies: a page of process and HTTP metrics only has none', () => {
		assert.equal(
			hasVllmFamilies([
				'python_info',
				'process_cpu_seconds_total',
				'http_requests_total',
			]),
			false,
		);
		assert.equal(
			hasVllmFamilies(['python_info', 'vllm:num_requests_running']),
			true,
		);
	});
});
