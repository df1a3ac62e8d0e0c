/**
Pages of four shapes, read through the whole pipeline: two data-parallel engines at 95 % and 10 % KV, a Ray Serve LLM
`ray_vllm:` page, an SGLang page and a page of another server. Each shows its reading in the `--json` document, the
`--once` report, the plain line and the full-screen view.
*/
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {formatOnceReport} from '../source/format/once-report.js';
import {formatPlainLine} from '../source/format/plain-line.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {
	initialTargetState,
	reduceScrape,
} from '../source/pipeline/target-reducer.js';
import type {Snapshot} from '../source/pipeline/snapshot.js';
import {readDialect} from '../source/derive/dialect-page.js';
import {initialMonitorState} from '../source/store/monitor-state.js';
import {createStore} from '../source/store/store.js';
import type {TargetView} from '../source/store/target-view.js';
import {App} from '../source/ui/app.js';
import {noActions} from './support/no-actions.js';
import {
	otherServerPage,
	rayPage,
	sglangPage,
	skewedEnginesPage,
} from './support/dialect-pages.js';
import {
	renderTerminal,
	type TerminalRender,
} from './support/render-terminal.js';

const url = 'http://127.0.0.1:8000/metrics';
const t0 = Date.parse('2026-12-03T12:00:00.000Z');

/** Two scrapes 5 s apart, judged as `--once` judges them. */
function read(pages: readonly [string, string]): TargetView {
	let state = initialTargetState(url, url);
	for (const [index, body] of pages.entries()) {
		const at = t0 + index * 5000;
		state = reduceScrape(state, {
			result: {
				ok: true,
				url,
				at,
				durationMs: 10,
				status: 200,
				contentType: 'text/plain; version=0.0.4',
				body,
			},
			page: parseExposition(body, 'text'),
			at,
			windowSeconds: 60,
			instant: true,
		});
	}

	return state.view;
}

function snapshotOf(view: TargetView): Snapshot {
	assert.ok(view.snapshot);
	return view.snapshot;
}

function alert(snapshot: Snapshot, id: string) {
	return snapshot.alerts.find(each => each.id === id);
}

const open: TerminalRender[] = [];
afterEach(() => {
	for (const terminal of open.splice(0)) {
		terminal.unmount();
	}
});

function screen(view: TargetView): string {
	const store = createStore(initialMonitorState([view]));
	const terminal = renderTerminal(
		<App
			store={store}
			actions={noActions}
			size={{columns: 120, rows: 34}}
			now={() => t0 + 6000}
		/>,
		{columns: 120, rows: 34},
	);
	open.push(terminal);
	return stripVTControlCharacters(terminal.lastFrame());
}

describe('two engines at 95 % and 10 % KV', () => {
	const view = read([skewedEnginesPage(0), skewedEnginesPage(1)]);
	const snapshot = snapshotOf(view);

	test('the gauge alerts judge the worst engine and name it; rates still sum', () => {
		assert.equal(snapshot.signals.kv_cache_usage, 0.525);
		assert.equal(
			alert(snapshot, 'kv_cache_pressure')?.message,
			'engine 0: KV cache 95 % used, limit 90 %',
		);
		assert.equal(alert(snapshot, 'kv_cache_pressure')?.state, 'firing');
		assert.equal(
			alert(snapshot, 'queue_backlog')?.message,
			'engine 0: 40 requests waiting, limit 10',
		);
		assert.equal(snapshot.status, 'warn');
		assert.equal(snapshot.signals.generation_tokens_per_s, 20_000);
	});

	test('--json carries the spread: lowest and highest engine of each gauge', () => {
		assert.deepEqual(snapshot.engine_spread, {
			requests_running: {min: 3, max: 64, min_engine: '1', max_engine: '0'},
			requests_waiting: {min: 0, max: 40, min_engine: '1', max_engine: '0'},
			kv_cache_usage: {min: 0.1, max: 0.95, min_engine: '1', max_engine: '0'},
		});
	});

	test('--once, the plain line and the screen show the engine and the spread', () => {
		const report = formatOnceReport(snapshot, {color: false});
		assert.match(
			report,
			/engines {3}Running 3–64 \(max engine 0\) {2}Waiting 0–40 \(max engine 0\) {2}KV cache 10\.0%–95\.0% \(max engine 0\)/v,
		);
		assert.match(report, /kv_cache_pressure: engine 0: KV cache 95 % used/v);
		assert.match(
			formatPlainLine(view),
			/ WARN, .*KV cache: 52\.5%.*Alerts: queue_backlog kv_cache_pressure/v,
		);
		const text = screen(view);
		assert.match(text, /Engines Running 3–64 max engine 0/v);
		assert.match(text, /KV cache 10\.0%–95\.0% max engine 0/v);
		assert.match(text, /engine 0: KV cache 95 % used/v);
	});
});

describe('a ray_vllm: page', () => {
	const view = read([rayPage(0), rayPage(1)]);
	const snapshot = snapshotOf(view);

	test('reads as vLLM V0, with its ITL and CPU KV overflow alerts', () => {
		assert.equal(snapshot.server.dialect, 'ray_vllm');
		assert.equal(snapshot.server.generation, 'v0');
		assert.deepEqual(snapshot.server.engines, []);
		assert.deepEqual(snapshot.server.models, [
			'meta-llama/Llama-3.1-8B-Instruct',
		]);
		assert.equal(snapshot.signals.requests_running, 12);
		assert.equal(snapshot.signals.cpu_kv_cache_usage, 0.25);
		assert.equal(alert(snapshot, 'cpu_kv_overflow')?.state, 'firing');
		assert.equal(alert(snapshot, 'itl_p95_high')?.state, 'firing');
		assert.equal(alert(snapshot, 'no_vllm_metrics'), undefined);
		assert.deepEqual(snapshot.not_judged, []);
	});

	test('--once, the plain line and the screen say Ray Serve', () => {
		assert.match(
			formatOnceReport(snapshot, {color: false}),
			/vLLM -- \(V0\) under Ray Serve/v,
		);
		assert.match(formatPlainLine(view), / WARN vLLM\/Ray, Running: 12 reqs/v);
		assert.match(screen(view), /vLLM V0 under Ray Serve/v);
	});

	test("Ray's labels are left out, except that two replicas are two engines", () => {
		const one = readDialect(parseOk(rayPage(0))).page;
		assert.deepEqual(one.byName.get('vllm:num_requests_running')?.[0]?.labels, {
			model_name: 'meta-llama/Llama-3.1-8B-Instruct',
		});
		const two = read([rayPage(0, 2), rayPage(1, 2)]);
		const {engines} = snapshotOf(two).server;
		assert.deepEqual(engines, [
			'default#LLMServer:llama#a1',
			'default#LLMServer:llama#b2',
		]);
		assert.match(
			alert(snapshotOf(two), 'kv_cache_pressure')?.message ?? '',
			/^engine default#LLMServer:llama#a1: KV cache 97 % used/v,
		);
	});
});

function parseOk(body: string) {
	const parsed = parseExposition(body, 'text');
	assert.ok(parsed.ok);
	return parsed.page;
}

describe('an SGLang page', () => {
	const view = read([sglangPage(0), sglangPage(1)]);
	const snapshot = snapshotOf(view);

	test('maps its core signals: queue, running, token usage, throughput, hits, retractions, latencies, spec decode', () => {
		assert.equal(snapshot.server.dialect, 'sglang');
		assert.equal(snapshot.server.generation, null);
		assert.deepEqual(snapshot.server.engines, ['0', '1']);
		const {signals} = snapshot;
		assert.equal(signals.requests_waiting, 2826);
		assert.equal(signals.requests_running, 68);
		assert.equal(signals.kv_cache_usage, 0.665);
		assert.equal(signals.generation_tokens_per_s, 24_000);
		assert.equal(signals.prompt_tokens_per_s, 80_000);
		assert.ok(Math.abs((signals.prefix_cache_hit_rate ?? 0) - 0.65) < 1e-9);
		assert.equal(signals.preemptions_per_s, 6);
		assert.equal(signals.requests_per_s, 100);
		assert.equal(signals.spec_decode_acceptance_rate, 0.7);
		// SGLang's accept length already counts the target model's token: read as it is, not plus one.
		assert.equal(signals.spec_decode_mean_acceptance_length, 3.1);
		assert.equal(
			snapshot.per_engine[1]?.signals.spec_decode_mean_acceptance_length,
			3.1,
		);
		assert.ok((signals.ttft_seconds?.p95 ?? 0) > 2);
		assert.ok((signals.itl_seconds?.p95 ?? 0) > 0.015);
		assert.ok((signals.e2e_seconds?.p50 ?? 0) > 8);
		assert.ok((signals.queue_seconds?.p50 ?? 0) > 2);
	});

	test('its rules judge the worst rank; rules it has no signal for stay quiet and say so', () => {
		assert.equal(
			alert(snapshot, 'queue_backlog')?.message,
			'engine 0: 2826 requests waiting, limit 10',
		);
		assert.equal(alert(snapshot, 'kv_cache_pressure')?.state, 'firing');
		assert.equal(alert(snapshot, 'no_vllm_metrics'), undefined);
		assert.deepEqual(
			snapshot.not_judged.map(rule => rule.id),
			['swapping', 'cpu_kv_overflow', 'server_errors', 'sleeping'],
		);
		const report = formatOnceReport(snapshot, {color: false});
		assert.match(report, /^\S+ +WARN {2}\S+ {2}SGLang {2}/v);
		assert.match(
			report,
			/not judged: swapping \(SGLang has no Swapped metric\), cpu_kv_overflow/v,
		);
	});

	test('capacity takes the token pool SGLang states, summed over its ranks', () => {
		// The configuration is one rank's, as for vLLM's engines; the pool adds up the ranks.
		assert.equal(snapshot.cache_config?.kv_cache_size_tokens, 400_000);
		assert.equal(snapshot.capacity?.kv_pool_tokens, 800_000);
		assert.equal(snapshot.capacity?.kv_pool_source, 'stated');
		const perRequest = snapshot.capacity?.avg_tokens_per_request ?? 0;
		assert.ok(perRequest > 0);
		assert.equal(
			snapshot.capacity?.concurrency_ceiling,
			Math.floor(800_000 / perRequest),
		);
	});

	test("hints name SGLang's own server flags, not vllm serve's", () => {
		const hints = snapshot.alerts.map(found => found.hint).join('\n');
		assert.match(
			alert(snapshot, 'kv_cache_pressure')?.hint ?? '',
			/raise --mem-fraction-static/v,
		);
		assert.match(
			alert(snapshot, 'preemptions')?.hint ?? '',
			/lower --max-running-requests or --chunked-prefill-size/v,
		);
		// SGLang chunks prefills by default: no --enable-chunked-prefill, and its context flag.
		assert.match(
			alert(snapshot, 'queue_backlog')?.hint ?? '',
			/lower --context-length/v,
		);
		for (const vllmFlag of [
			'--max-num-seqs',
			'--gpu-memory-utilization',
			'--max-num-batched-tokens',
			'--max-model-len',
			'--enable-chunked-prefill',
		]) {
			assert.ok(!hints.includes(vllmFlag), `${vllmFlag} in\n${hints}`);
		}
	});

	test('the plain line and the screen say SGLang', () => {
		assert.match(formatPlainLine(view), / WARN SGLang, Running: 68 reqs/v);
		const text = screen(view);
		assert.match(text, /\[WARN\] .* · SGLang ·/v);
		assert.match(text, /engine 0: 2826 requests waiting/v);
	});
});

describe('a page of another server', () => {
	const view = read([otherServerPage(), otherServerPage()]);
	const snapshot = snapshotOf(view);

	test('says what it found and that this is neither vLLM nor SGLang', () => {
		assert.equal(snapshot.server.dialect, null);
		const found = alert(snapshot, 'no_vllm_metrics');
		assert.equal(
			found?.message,
			'/metrics has no vllm: or sglang: families, only tgi_* (3), process_* (1)',
		);
		assert.match(found?.hint ?? '', /^this is neither vLLM nor SGLang/v);
	});

	test('a page of process and HTTP metrics only points at --disable-log-stats', () => {
		const bare = read([
			'# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1\n# TYPE http_requests_total counter\nhttp_requests_total 3\n',
			'# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 2\n# TYPE http_requests_total counter\nhttp_requests_total 4\n',
		]);
		assert.match(
			alert(snapshotOf(bare), 'no_vllm_metrics')?.hint ?? '',
			/--disable-log-stats/v,
		);
	});
});
