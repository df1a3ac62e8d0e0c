/**
A signal added to the catalog, and nowhere else, reaches every output the catalog drives: the `--json` document, the
plain line, the `--once` report and the PromQL `--prometheus` sends. Here it is vLLM's counter of prompt tokens
served from the prefix cache, read as a rate, over two scrapes of the V1 fixture page 5 s apart.
*/
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {PassThrough} from 'node:stream';
import {test} from 'node:test';
import {z} from 'zod';
import type {SignalDef} from '../source/catalog/signal-def.js';
import {nullSignalsOf} from '../source/catalog/signal-types.js';
import {signalCatalog} from '../source/catalog/signals.js';
import {deriveSnapshot} from '../source/derive/derive-snapshot.js';
import type {Snapshot} from '../source/pipeline/snapshot.js';
import {formatOnceReport} from '../source/format/once-report.js';
import {formatPlainLine} from '../source/format/plain-line.js';
import {formatNumber} from '../source/format/units.js';
import {printOnceReport} from '../source/modes/once-output.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {panelQueries} from '../source/prometheus/panel-queries.js';
import {emptyHistory} from '../source/pipeline/history.js';
import {fixturePath} from './support/fixture-path.js';
import {grownPage} from './support/fixture-recording.js';

const cached: SignalDef = {
	key: 'prompt_tokens_cached_per_s',
	doc: 'Prompt tokens served from the prefix cache per second.',
	kind: {type: 'rate', counter: 'vllm:prompt_tokens_cached_total'},
	aggregate: 'sum',
	unit: 'tokens/s',
	label: 'Cached prompt tokens/s',
	format: formatNumber,
	topic: 'tokens/s',
	plain: {label: 'Cached', suffix: ' tok/s'},
	once: {label: 'cached'},
};

const catalog = [...signalCatalog, cached];
const start = Date.parse('2026-08-20T12:00:00.000Z');

function snapshotOfTwoScrapes(): Snapshot {
	const text = readFileSync(
		fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'),
		'utf8',
	);
	let memory;
	let observation;
	for (const step of [0, 1]) {
		const parsed = parseExposition(grownPage(text, step), 'text');
		assert.ok(parsed.ok);
		({memory, observation} = deriveSnapshot(memory, {
			page: parsed.page,
			at: start + step * 5000,
			target: 'gpu-a',
			windowSeconds: 60,
			signals: catalog,
		}));
	}

	assert.ok(observation);
	return {
		...observation,
		status: 'ok',
		alerts: [],
		not_judged: [],
		batch_fill: null,
		error: null,
	};
}

/** The increase `grownPage` gives the counter in one step, summed over the page's series, per second. */
function expectedRate(): number {
	const text = readFileSync(
		fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'),
		'utf8',
	);
	const values = text
		.split('\n')
		.filter(line => line.startsWith('vllm:prompt_tokens_cached_total'))
		.map(line => Number(line.split(' ').at(-1)));
	assert.ok(values.length > 0);
	return values.reduce((total, value) => total + value / 2 + 3, 0) / 5;
}

test('an added signal shows in --json, per engine and per model too', () => {
	const snapshot = snapshotOfTwoScrapes();
	const stdout = new PassThrough();
	printOnceReport(
		[snapshot],
		{output: 'json', color: false, ascii: false},
		{stdout},
	);
	const written = String(stdout.read());
	const document = z
		.object({
			signals: z.record(z.string(), z.unknown()),
			per_engine: z.array(
				z.object({signals: z.record(z.string(), z.unknown())}),
			),
		})
		.parse(JSON.parse(written));
	const rate = z.number().parse(document.signals['prompt_tokens_cached_per_s']);
	assert.ok(Math.abs(rate - expectedRate()) < 1e-9);
	// After the catalog's own signals, in catalog order.
	assert.equal(Object.keys(document.signals).at(-1), cached.key);
	assert.equal(document.per_engine.length, 2);
	for (const engine of document.per_engine) {
		assert.equal(typeof engine.signals['prompt_tokens_cached_per_s'], 'number');
	}

	assert.deepEqual(Object.entries(nullSignalsOf(catalog)).at(-1), [
		cached.key,
		null,
	]);
});

test('an added signal shows on the plain line and in the --once report', () => {
	const snapshot = snapshotOfTwoScrapes();
	const line = formatPlainLine(
		{
			name: 'gpu-a',
			url: 'http://gpu-a:8000/metrics',
			phase: 'up',
			snapshot,
			history: emptyHistory(),
			lastScrape: {at: start + 5000, durationMs: 10, error: null},
		},
		catalog,
	);
	// In its topic: after the other tokens/s pairs, before the latencies.
	assert.match(
		line,
		new RegExp(
			`Generation: [^,]+ tok/s, Cached: ${formatNumber(expectedRate()).replace('.', String.raw`\.`)} tok/s, TTFT p95: `,
			'v',
		),
	);
	const report = formatOnceReport(snapshot, {color: false, signals: catalog});
	assert.match(
		report,
		/tokens\/s {2}prompt \S+(?:, prefill \S+)? {2}generation \S+ {2}cached \S+\n/v,
	);
});

test('an added signal has its PromQL panel', () => {
	const queries: Readonly<Record<string, string>> = panelQueries(
		{
			match: '{job="vllm"}',
			by: 'instance',
			rateWindow: '1m',
			latencyWindow: '60s',
			slices: false,
		},
		catalog,
	);
	assert.equal(
		queries['prompt_tokens_cached_per_s'],
		'sum by (instance) (rate(vllm:prompt_tokens_cached_total{job="vllm"}[1m]))',
	);
});
