import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	Counter,
	Gauge,
	Histogram,
	Registry,
	Summary,
	type LabelValues,
	type OpenMetricsContentType,
	type RegistryContentType,
} from 'prom-client';
import type {Page} from '../source/parse/page.js';
import {formatFromContentType} from '../source/parse/format-from-content-type.js';
import {parseExposition} from '../source/parse/parse-exposition.js';

const weirdPath = 'C:\\DIR\\"quoted"\nnext, {x=y} # z ✓';

/** prom-client's typings wrongly require exemplar labels to use the metric's own label names. */
function exemplarLabels(
	labels: Record<string, string>,
): LabelValues<'model_name'> {
	return labels;
}

async function vllmLikeRegistry(
	registry: Registry<RegistryContentType>,
	exemplars: boolean,
): Promise<string> {
	const registers = [registry];
	const running = new Gauge({
		name: 'vllm:num_requests_running',
		help: 'Running.',
		labelNames: ['model_name', 'engine'],
		registers,
	});
	running.set({model_name: 'm', engine: '0'}, 3);
	running.set({model_name: 'm', engine: '1'}, 4.25);
	const nan = new Gauge({
		name: 'vllm:broken_gauge',
		help: 'Is NaN.',
		registers,
	});
	nan.set(Number.NaN);
	const inf = new Gauge({
		name: 'vllm:infinite_gauge',
		help: 'Is -Inf.',
		registers,
	});
	inf.set(Number.NEGATIVE_INFINITY);
	const weird = new Gauge({
		name: 'weird_labels',
		help: 'Help with \\ and\nnewline.',
		labelNames: ['path'],
		registers,
	});
	weird.set({path: weirdPath}, 1);
	const prompt = new Counter({
		name: 'vllm:prompt_tokens_total',
		help: 'Number of prefill tokens processed.',
		labelNames: ['model_name'],
		registers,
		enableExemplars: exemplars,
	});
	if (exemplars) {
		prompt.inc({
			labels: {model_name: 'm'},
			value: 5,
			exemplarLabels: exemplarLabels({trace_id: 'abc'}),
		});
	} else {
		prompt.inc({model_name: 'm'}, 5);
	}

	const ttft = new Histogram({
		name: 'vllm:time_to_first_token_seconds',
		help: 'Histogram of time to first token in seconds.',
		labelNames: ['model_name'],
		buckets: [0.001, 0.1, 1, 2560],
		registers,
		enableExemplars: exemplars,
	});
	for (const value of [0.05, 0.5, 3]) {
		if (exemplars) {
			ttft.observe({
				labels: {model_name: 'm'},
				value,
				exemplarLabels: exemplarLabels({trace_id: `t${value}`}),
			});
		} else {
			ttft.observe({model_name: 'm'}, value);
		}
	}

	const size = new Summary({
		name: 'http_request_size_bytes',
		help: 'Sizes.',
		percentiles: [0.5, 0.9],
		registers,
	});
	size.observe(10);
	size.observe(30);
	return registry.metrics();
}

function parsedFrom(text: string, contentType: string): Page {
	const result = parseExposition(text, formatFromContentType(contentType));
	if (!result.ok) {
		assert.fail(`rejected at line ${result.line}: ${result.error}\n${text}`);
	}

	return result.page;
}

function checkValues(page: Page): void {
	const value = (name: string, labels: Record<string, string> = {}) =>
		page.byName
			.get(name)
			?.find(sample =>
				Object.entries(labels).every(
					([key, wanted]) => sample.labels[key] === wanted,
				),
			)?.value;
	assert.equal(value('vllm:num_requests_running', {engine: '0'}), 3);
	assert.equal(value('vllm:num_requests_running', {engine: '1'}), 4.25);
	assert.ok(
		Number.isNaN(value('vllm:broken_gauge')!),
		'prom-client prints NaN as "Nan"',
	);
	assert.equal(value('vllm:infinite_gauge'), Number.NEGATIVE_INFINITY);
	assert.equal(page.byName.get('weird_labels')![0]!.labels['path'], weirdPath);
	assert.equal(
		page.families.get('weird_labels')!.help,
		'Help with \\ and\nnewline.',
	);
	assert.equal(value('vllm:prompt_tokens_total', {model_name: 'm'}), 5);
	assert.equal(
		value('vllm:time_to_first_token_seconds_bucket', {le: '0.1'}),
		1,
	);
	assert.equal(value('vllm:time_to_first_token_seconds_bucket', {le: '1'}), 2);
	assert.equal(
		value('vllm:time_to_first_token_seconds_bucket', {le: '+Inf'}),
		3,
	);
	assert.equal(value('vllm:time_to_first_token_seconds_count'), 3);
	assert.equal(value('vllm:time_to_first_token_seconds_sum'), 3.55);
	assert.equal(value('http_request_size_bytes_count'), 2);
	assert.equal(value('http_request_size_bytes_sum'), 40);
	const ttft = page.families.get('vllm:time_to_first_token_seconds')!;
	assert.equal(ttft.type, 'histogram');
	assert.equal(ttft.samples.length, 7);
	assert.equal(page.families.get('http_request_size_bytes')!.type, 'summary');
	assert.equal(page.families.get('http_request_size_bytes')!.samples.length, 4);
}

test('a prom-client text page parses with the values that were set', async () => {
	const registry = new Registry();
	const text = await vllmLikeRegistry(registry, false);
	assert.ok(text.includes(' Nan\n'), 'the prom-client quirk is present');
	const page = parsedFrom(text, registry.contentType);
	checkValues(page);
	assert.equal(page.families.get('vllm:prompt_tokens_total')!.type, 'counter');
});

test('a prom-client OpenMetrics page with exemplars parses with the same values', async () => {
	const registry = new Registry<OpenMetricsContentType>();
	registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
	const text = await vllmLikeRegistry(registry, true);
	assert.ok(text.includes('# {trace_id="abc"} 5 '), 'exemplars are present');
	assert.ok(text.trimEnd().endsWith('# EOF'));
	assert.equal(formatFromContentType(registry.contentType), 'openmetrics');
	const page = parsedFrom(text, registry.contentType);
	checkValues(page);
	const counter = page.families.get('vllm:prompt_tokens')!;
	assert.equal(counter.type, 'counter');
	assert.equal(counter.samples[0]!.name, 'vllm:prompt_tokens_total');
	assert.equal(page.families.has('vllm:prompt_tokens_total'), false);
});
