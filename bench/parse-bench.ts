/*
Parser throughput on a large vLLM-shaped page and on the real V0 fixture, beside parse-prometheus-text-format measured
in the same run on the same input, so that the ratio does not depend on the machine.
*/
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {fixturePath} from '../test/support/fixture-path.js';

const requireCommonJs = createRequire(import.meta.url);
// The package ships no types; its CommonJS entry exports the function itself.
const baselineModule: unknown = requireCommonJs('parse-prometheus-text-format');

function isParser(value: unknown): value is (text: string) => unknown[] {
	return typeof value === 'function';
}

if (!isParser(baselineModule)) {
	throw new TypeError('parse-prometheus-text-format did not export a function');
}

export const parsePrometheusTextFormat = baselineModule;

const v0FixturePath = fixturePath('vllm-v0-opt125m.txt');
const targetBytes = 1.5e6;

const latencyBuckets = [
	0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480,
	960, 1920, 7680,
];
const tokenBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const interTokenBuckets = [
	0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5,
	10, 20, 40, 80,
];

/** vLLM V1 histograms (`vllm/v1/metrics/loggers.py`) with their real bucket lists; 1-2-5 token buckets for max_model_len 8192. */
const histograms: ReadonlyArray<
	readonly [name: string, help: string, buckets: readonly number[]]
> = [
	[
		'vllm:request_prompt_tokens',
		'Number of prefill tokens processed.',
		tokenBuckets,
	],
	[
		'vllm:request_generation_tokens',
		'Number of generation tokens processed.',
		tokenBuckets,
	],
	[
		'vllm:iteration_tokens_total',
		'Histogram of number of tokens per engine_step.',
		[1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16_384],
	],
	[
		'vllm:request_max_num_generation_tokens',
		'Histogram of maximum number of requested generation tokens.',
		tokenBuckets,
	],
	[
		'vllm:request_params_n',
		'Histogram of the n request parameter.',
		[1, 2, 5, 10, 20],
	],
	[
		'vllm:request_params_max_tokens',
		'Histogram of the max_tokens request parameter.',
		tokenBuckets,
	],
	[
		'vllm:time_to_first_token_seconds',
		'Histogram of time to first token in seconds.',
		[
			0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5,
			5, 7.5, 10, 20, 40, 80, 160, 640, 2560,
		],
	],
	[
		'vllm:inter_token_latency_seconds',
		'Histogram of inter-token latency in seconds.',
		interTokenBuckets,
	],
	[
		'vllm:request_time_per_output_token_seconds',
		'Histogram of time_per_output_token_seconds per request.',
		interTokenBuckets,
	],
	[
		'vllm:e2e_request_latency_seconds',
		'Histogram of e2e request latency in seconds.',
		latencyBuckets,
	],
	[
		'vllm:request_queue_time_seconds',
		'Histogram of time spent in WAITING phase for request.',
		latencyBuckets,
	],
	[
		'vllm:request_inference_time_seconds',
		'Histogram of time spent in RUNNING phase for request.',
		latencyBuckets,
	],
	[
		'vllm:request_prefill_time_seconds',
		'Histogram of time spent in PREFILL phase for request.',
		latencyBuckets,
	],
	[
		'vllm:request_decode_time_seconds',
		'Histogram of time spent in DECODE phase for request.',
		latencyBuckets,
	],
	[
		'vllm:request_prefill_kv_computed_tokens',
		'Histogram of new KV tokens computed during prefill (excluding cached tokens).',
		tokenBuckets,
	],
];

const gauges = [
	'vllm:num_requests_running',
	'vllm:num_requests_waiting',
	'vllm:kv_cache_usage_perc',
];
const counters = [
	'vllm:prefix_cache_queries',
	'vllm:prefix_cache_hits',
	'vllm:num_preemptions',
	'vllm:prompt_tokens',
	'vllm:generation_tokens',
];

/** Python's float repr for the values prometheus_client prints (`1.0`, `0.25`, `1.7953742553394396e+09`). */
function pythonFloat(value: number): string {
	if (Number.isInteger(value) && Math.abs(value) < 1e16) {
		return `${value}.0`;
	}

	if (Math.abs(value) >= 1e9) {
		const [mantissa = '', exponent = ''] = value.toExponential().split('e');
		const digits = Number(exponent);
		return `${mantissa}e${digits < 0 ? '-' : '+'}${String(Math.abs(digits)).padStart(2, '0')}`;
	}

	return String(value);
}

/** A deterministic pseudo-random sequence, so every run parses the same page. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

/**
A page as prometheus_client 0.0.4 prints it for vLLM V1 with `series` (model, engine) label sets: 50 models, engines
0..7, every V1 histogram with `_created`, the main gauges and counters.
*/
export function generateVllmPage(series: number): string {
	const next = random(42);
	const labelSets: string[] = [];
	for (let i = 0; i < series; i++) {
		labelSets.push(
			`engine="${i % 8}",model_name="org-${i % 50}/Model-${i % 50}-8B-Instruct"`,
		);
	}

	const created = pythonFloat(1_795_374_255.339_439_6);
	const parts: string[] = [];
	for (const name of gauges) {
		parts.push(`# HELP ${name} Gauge of the engine.\n# TYPE ${name} gauge\n`);
		for (const labels of labelSets) {
			parts.push(
				`${name}{${labels}} ${pythonFloat(Math.round(next() * 100))}\n`,
			);
		}
	}

	for (const name of counters) {
		parts.push(
			`# HELP ${name}_total Counter of the engine.\n# TYPE ${name}_total counter\n`,
		);
		for (const labels of labelSets) {
			parts.push(
				`${name}_total{${labels}} ${pythonFloat(Math.round(next() * 1e6))}\n`,
			);
		}

		parts.push(
			`# HELP ${name}_created Counter of the engine.\n# TYPE ${name}_created gauge\n`,
		);
		for (const labels of labelSets) {
			parts.push(`${name}_created{${labels}} ${created}\n`);
		}
	}

	for (const [name, help, buckets] of histograms) {
		parts.push(`# HELP ${name} ${help}\n# TYPE ${name} histogram\n`);
		for (const labels of labelSets) {
			const [engine, model] = labels.split(',');
			let count = 0;
			for (const bound of buckets) {
				count += Math.floor(next() * 50);
				parts.push(
					`${name}_bucket{${engine},le="${pythonFloat(bound)}",${model}} ${pythonFloat(count)}\n`,
				);
			}

			count += Math.floor(next() * 5);
			parts.push(
				`${name}_bucket{${engine},le="+Inf",${model}} ${pythonFloat(count)}\n`,
				`${name}_count{${labels}} ${pythonFloat(count)}\n`,
				`${name}_sum{${labels}} ${String(count * next() * 3)}\n`,
			);
		}

		parts.push(
			`# HELP ${name}_created ${help}\n# TYPE ${name}_created gauge\n`,
		);
		for (const labels of labelSets) {
			parts.push(`${name}_created{${labels}} ${created}\n`);
		}
	}

	return parts.join('');
}

function median(values: number[]): number {
	const sorted = values.toSorted((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

/** Seconds per call of `parse`, repeated `repeat` times to get above timer resolution. */
function timeBatch(parse: () => unknown, repeat: number): number {
	const begin = process.hrtime.bigint();
	for (let i = 0; i < repeat; i++) {
		parse();
	}

	return Number(process.hrtime.bigint() - begin) / 1e9 / repeat;
}

/** Enough repetitions for a batch of about 20 ms. */
function repetitions(parse: () => unknown): number {
	for (let i = 0; i < 5; i++) {
		parse();
	}

	return Math.max(1, Math.ceil(0.02 / Math.max(timeBatch(parse, 1), 1e-7)));
}

/**
Both parsers run in alternating batches, so a busy machine slows both alike; the ratio is the median of the per-round
ratios, the rates are medians of the per-round times.
*/
function measure(title: string, text: string, rounds = 15): string {
	const result = parseExposition(text, 'text');
	if (!result.ok) {
		return `${title}: rejected at line ${result.line}: ${result.error}`;
	}

	const ours = () => parseExposition(text, 'text');
	const theirs = () => parsePrometheusTextFormat(text);
	const oursRepeat = repetitions(ours);
	const theirsRepeat = repetitions(theirs);
	const oursTimes: number[] = [];
	const theirsTimes: number[] = [];
	const ratios: number[] = [];
	for (let round = 0; round < rounds; round++) {
		const oursTime = timeBatch(ours, oursRepeat);
		const theirsTime = timeBatch(theirs, theirsRepeat);
		oursTimes.push(oursTime);
		theirsTimes.push(theirsTime);
		ratios.push(theirsTime / oursTime);
	}

	const bytes = Buffer.byteLength(text);
	const samples = result.page.samples.length;
	const rate = (seconds: number) =>
		`${(bytes / 1e6 / seconds).toFixed(1)} MB/s, ${Math.round(samples / seconds).toLocaleString('en-US')} samples/s`;
	return (
		`${title} (${(bytes / 1e6).toFixed(2)} MB, ${samples.toLocaleString('en-US')} samples): ` +
		`vllm-top parser: ${rate(median(oursTimes))}; parse-prometheus-text-format: ${rate(median(theirsTimes))}; ` +
		`ratio ${median(ratios).toFixed(1)}x`
	);
}

export async function runParseBench(): Promise<string[]> {
	// Headers are a fixed cost, so size the page from two probes rather than one.
	const small = generateVllmPage(10).length;
	const perSeries = (generateVllmPage(20).length - small) / 10;
	const page = generateVllmPage(
		Math.max(1, Math.round(10 + (targetBytes - small) / perSeries)),
	);
	const lines = [measure('vLLM-shaped page', page)];
	try {
		lines.push(measure('real V0 fixture', readFileSync(v0FixturePath, 'utf8')));
	} catch (error: unknown) {
		lines.push(
			`real V0 fixture: not readable (${error instanceof Error ? error.message : String(error)})`,
		);
	}

	return lines;
}

if (
	process.argv[1] !== undefined &&
	path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
	for (const line of await runParseBench()) {
		console.log(line);
	}
}
