/*
What a fleet costs, each figure beside a baseline measured in the same run. Direct scraping: 100 and 1,000 targets at
a 5 s interval against the same session over 1 target, this process's CPU only (the targets are served from a child
process, from pages one simulator rendered once). Prometheus mode: queries per refresh with 5, 50 and 500 instances of
1,000 series each, which must not grow with the instances. BENCH_SECONDS sets each scraping window (default 60).
Run alone with `node --import tsx bench/fleet-bench.ts` (`--prometheus` for the Prometheus part only).
*/
import {spawn, type ChildProcess} from 'node:child_process';
import {createServer, type Server} from 'node:http';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import process from 'node:process';
import {createInterface} from 'node:readline';
import {setTimeout as delay} from 'node:timers/promises';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {createMonitorSession} from '../source/session/scrape-session.js';
import type {TargetSpec} from '../source/session/target-spec.js';
import {
	panelIds,
	panelQueries,
	type PanelId,
} from '../source/prometheus/panel-queries.js';
import {createPrometheusClient} from '../source/prometheus/prometheus-client.js';
import {createPrometheusSession} from '../source/prometheus/prometheus-session.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {normalizeTargetUrl} from '../source/scrape/target-url.js';
import {describeStartup, measureStartup} from './fleet-startup.js';

const intervalMs = 5000;
const fleetSize = 100;
/** The large fleet: 1,000 targets must fit in one core. */
const largeFleetSize = 1000;
/** A gap between two scrapes of one target longer than this is a skipped or late cycle. */
const lateFactor = 1.5;
const serveFlag = '--serve-targets';
const thisFile = fileURLToPath(import.meta.url);

function benchSeconds(): number {
	const wanted = Number(process.env['BENCH_SECONDS'] ?? 60);
	return Number.isFinite(wanted) && wanted >= 5 ? wanted : 60;
}

function percent(value: number): string {
	return `${(value * 100).toFixed(2)} %`;
}

function quantile(values: readonly number[], q: number): number {
	const sorted = values.toSorted((a, b) => a - b);
	return (
		sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ??
		Number.NaN
	);
}

function portOf(server: Server): number {
	const address = server.address();
	return typeof address === 'object' && address !== null ? address.port : 0;
}

// ---- The target server (child process) ----

/**
Renders `pages` consecutive /metrics pages 5 sim-seconds apart from one frozen-clock simulator, then serves them on
`count` ports, each port walking through the pages on its own, so every target's counters move like a live server's.
*/
async function serveTargets(count: number, pages: number): Promise<void> {
	const {startSimulator} =
		await import('../source/simulator/simulator-server.js');
	const simulator = await startSimulator({
		timeScale: 0,
		seed: 7,
		startTimeMs: Date.UTC(2025, 0, 1),
	});
	const captured: Buffer[] = [];
	let contentType = 'text/plain; version=0.0.4; charset=utf-8';
	for (let index = 0; index < pages; index++) {
		simulator.advance(intervalMs / 1000);
		const response = await fetch(`${simulator.url}/metrics`);
		contentType = response.headers.get('content-type') ?? contentType;
		captured.push(Buffer.from(await response.arrayBuffer()));
	}

	const versionResponse = await fetch(`${simulator.url}/version`);
	const version = Buffer.from(await versionResponse.arrayBuffer());
	await simulator.stop();

	const servers: Server[] = [];
	const ports: number[] = [];
	for (let index = 0; index < count; index++) {
		let served = 0;
		const server = createServer((request, response) => {
			switch (request.url ?? '') {
				case '/metrics': {
					const page = captured[served++ % captured.length]!;
					response.writeHead(200, {
						'content-type': contentType,
						'content-length': page.length,
					});
					response.end(page);

					break;
				}

				case '/version': {
					response.writeHead(200, {'content-type': 'application/json'});
					response.end(version);

					break;
				}

				case '/health': {
					response.writeHead(200);
					response.end();

					break;
				}

				default: {
					response.writeHead(404);
					response.end();
				}
			}
		});
		await new Promise<void>(resolve => {
			server.listen(0, '127.0.0.1', resolve);
		});
		servers.push(server);
		ports.push(portOf(server));
	}

	const bytes = captured.reduce((sum, page) => sum + page.length, 0);
	process.stdout.write(
		`${JSON.stringify({ports, pageBytes: Math.round(bytes / captured.length)})}\n`,
	);
	// The parent closing our stdin (normally or by dying) is the signal to go.
	process.stdin.resume();
	process.stdin.on('end', () => {
		for (const server of servers) {
			server.closeAllConnections();
			server.close();
		}

		process.exit(0);
	});
}

type TargetServer = {
	readonly ports: readonly number[];
	readonly pageBytes: number;
	stop(): void;
};

function isServerHello(
	value: unknown,
): value is {readonly ports: number[]; readonly pageBytes: number} {
	return (
		typeof value === 'object' &&
		value !== null &&
		'ports' in value &&
		Array.isArray(value.ports) &&
		value.ports.every(port => typeof port === 'number') &&
		'pageBytes' in value &&
		typeof value.pageBytes === 'number'
	);
}

async function startTargetServer(
	count: number,
	pages: number,
): Promise<TargetServer> {
	const child: ChildProcess = spawn(
		process.execPath,
		['--import', 'tsx', thisFile, serveFlag, String(count), String(pages)],
		{stdio: ['pipe', 'pipe', 'inherit']},
	);
	const stop = () => {
		child.stdin?.end();
		setTimeout(() => {
			child.kill();
		}, 2000).unref();
	};

	process.once('exit', () => {
		child.kill();
	});
	const lines = createInterface({input: child.stdout!});
	const first = await Promise.race([
		new Promise<string | undefined>(resolve => {
			lines.once('line', resolve);
			child.once('exit', () => {
				resolve(undefined);
			});
		}),
		delay(60_000, undefined),
	]);
	lines.close();
	if (first === undefined) {
		stop();
		throw new Error('the target server did not start within 60 s');
	}

	const parsed: unknown = JSON.parse(first);
	if (!isServerHello(parsed)) {
		stop();
		throw new Error(`the target server said '${first.slice(0, 80)}'`);
	}

	return {ports: parsed.ports, pageBytes: parsed.pageBytes, stop};
}

// ---- Direct scraping ----

type FleetRun = {
	readonly targets: number;
	/** Fraction of one core. */
	readonly cpu: number;
	readonly scrapes: number;
	readonly expected: number;
	readonly failed: number;
	/** Targets with at least one gap over 1.5 intervals inside the window. */
	readonly lateTargets: number;
	readonly lateGaps: number;
	readonly maxGapMs: number;
	readonly scrapeP50Ms: number;
	readonly scrapeP99Ms: number;
	readonly loopDelayP99Ms: number;
	readonly heapMiB: number;
};

async function runFleet(
	ports: readonly number[],
	seconds: number,
): Promise<FleetRun> {
	const targets: TargetSpec[] = ports.map((port, index) => {
		const normalized = normalizeTargetUrl(`http://127.0.0.1:${port}/metrics`);
		if (!normalized.ok) {
			throw new Error(normalized.error);
		}

		return {name: `t${index}`, url: normalized.url, base: normalized.base};
	});
	const client = createScrapeClient();
	const times: number[][] = targets.map(() => []);
	const durations: number[] = [];
	let failed = 0;
	let measuring = false;
	const session = createMonitorSession({
		targets,
		clientFor: () => client,
		intervalMs,
		windowSeconds: 60,
		alertConfig: defaultAlertConfig,
		onUpdate(index, view) {
			times[index]!.push(performance.now());
			if (measuring && view.lastScrape) {
				durations.push(view.lastScrape.durationMs);
				if (view.lastScrape.error !== null) {
					failed++;
				}
			}
		},
	});
	const loopDelay = monitorEventLoopDelay({resolution: 20});
	session.start();
	// Warm-up: the first cycle also asks /version and /health and starts every series; a large fleet gets a second
	// interval for it.
	await delay(targets.length > fleetSize ? 2 * intervalMs : intervalMs);
	measuring = true;
	loopDelay.enable();
	const from = performance.now();
	const cpuFrom = process.cpuUsage();
	await delay(seconds * 1000);
	const cpu = process.cpuUsage(cpuFrom);
	const to = performance.now();
	loopDelay.disable();
	measuring = false;
	session.stop();
	await client.close();
	const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;

	let scrapes = 0;
	let lateGaps = 0;
	let lateTargets = 0;
	let maxGapMs = 0;
	for (const stamps of times) {
		let late = false;
		for (const [index, at] of stamps.entries()) {
			if (at < from || at > to) {
				continue;
			}

			scrapes++;
			const previous = stamps[index - 1];
			if (previous !== undefined) {
				maxGapMs = Math.max(maxGapMs, at - previous);
				if (at - previous > lateFactor * intervalMs) {
					lateGaps++;
					late = true;
				}
			}
		}

		// A target silent since its last scrape for longer than 1.5 intervals at the window's end is late too.
		const last = stamps.at(-1) ?? from;
		if (to - last > lateFactor * intervalMs) {
			lateGaps++;
			late = true;
		}

		if (late) {
			lateTargets++;
		}
	}

	const elapsedMs = to - from;
	return {
		targets: targets.length,
		cpu: (cpu.user + cpu.system) / 1000 / elapsedMs,
		scrapes,
		expected: Math.round((targets.length * elapsedMs) / intervalMs),
		failed,
		lateTargets,
		lateGaps,
		maxGapMs,
		scrapeP50Ms: quantile(durations, 0.5),
		scrapeP99Ms: quantile(durations, 0.99),
		loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
		heapMiB,
	};
}

function describeFleet(run: FleetRun): string[] {
	return [
		`  ${run.targets} target(s): CPU ${percent(run.cpu)} of one core; scrapes ${run.scrapes} of ${run.expected} expected, ${run.failed} failed; late cycles ${run.lateGaps} (${run.lateTargets} targets), longest gap ${(run.maxGapMs / 1000).toFixed(2)} s`,
		`    scrape p50 ${run.scrapeP50Ms.toFixed(1)} ms, p99 ${run.scrapeP99Ms.toFixed(1)} ms; event-loop delay p99 ${run.loopDelayP99Ms.toFixed(1)} ms; heap ${run.heapMiB.toFixed(1)} MiB`,
	];
}

function verdict(run: FleetRun, budget: number): string {
	const keptUp =
		run.lateGaps === 0 && run.scrapes >= run.expected - run.targets;
	return `${run.cpu <= budget ? 'within' : 'OVER'} the CPU budget, ${keptUp ? 'kept up' : 'FELL BEHIND'}`;
}

async function benchDirect(seconds: number): Promise<string[]> {
	// Enough pages that no target wraps around (a wrap looks like a restart) within warm-up plus window.
	const pages = Math.min(
		400,
		Math.ceil((seconds * 1000 + 3 * intervalMs) / intervalMs) + 4,
	);
	const server = await startTargetServer(fleetSize + 1 + largeFleetSize, pages);
	try {
		const fleetPorts = server.ports.slice(0, fleetSize);
		const soloPorts = server.ports.slice(fleetSize, fleetSize + 1);
		const largePorts = server.ports.slice(fleetSize + 1);
		// The fleet first: its warm-up interval (100 scrapes) also warms the code the one-target run then uses.
		const fleet = await runFleet(fleetPorts, seconds);
		const solo = await runFleet(soloPorts, seconds);
		const large = await runFleet(largePorts, seconds);
		const startupOne = await measureStartup(soloPorts);
		const startupLarge = await measureStartup(largePorts);
		const perTargetFleet = fleet.cpu / fleet.targets;
		const lines = [
			`Direct scraping, ${seconds} s window at a ${intervalMs / 1000} s interval, pages of ${Math.round(server.pageBytes / 1024)} KiB served from a child process (its CPU not counted)`,
			...describeFleet(fleet),
			...describeFleet(solo),
			`  fleet CPU / (100 x one-target CPU): ${(fleet.cpu / (solo.cpu * fleet.targets)).toFixed(2)} (below 1: fixed costs shared; above 1: cost grows faster than the fleet)`,
			`  CPU per scrape: fleet ${((fleet.cpu * seconds * 1000) / Math.max(1, fleet.scrapes)).toFixed(2)} ms, one target ${((solo.cpu * seconds * 1000) / Math.max(1, solo.scrapes)).toFixed(2)} ms; per target of the fleet ${percent(perTargetFleet)} of a core`,
			`  target: <= 10 % of one core and no late cycles -> ${verdict(fleet, 0.1)}`,
			...describeFleet(large),
			`  ${large.targets} targets against ${fleet.targets}: CPU ${(large.cpu / fleet.cpu).toFixed(1)}x for ${large.targets / fleet.targets}x the targets; target: <= 100 % of one core and no late cycles -> ${verdict(large, 1)}`,
			describeStartup(startupLarge, startupOne),
		];
		return lines;
	} finally {
		server.stop();
	}
}

// ---- Prometheus mode ----

const seriesPerInstance = 1000;
/** The metrics the fake Prometheus holds, one per panel family; the histograms carry most of the series, as in vLLM. */
const heldMetrics: ReadonlyArray<readonly [metric: string, share: number]> = [
	['vllm:num_requests_running', 8],
	['vllm:num_requests_waiting', 8],
	['vllm:kv_cache_usage_perc', 8],
	['vllm:prompt_tokens_total', 8],
	['vllm:generation_tokens_total', 8],
	['vllm:request_success_total', 24],
	['vllm:num_preemptions_total', 8],
	['vllm:time_to_first_token_seconds', 464],
	['vllm:inter_token_latency_seconds', 464],
];

type FakePrometheus = {
	readonly url: string;
	readonly counts: {query: number; range: number; unknown: number};
	stop(): Promise<void>;
};

/**
A stand-in for the Prometheus HTTP API that knows the monitor's panel queries: it holds `instances` x 1,000 series and
answers each panel with one aggregated series per instance, as `sum by (instance)` would. Any other query is counted
as unknown and refused.
*/
async function startFakePrometheus(
	instances: number,
	queries: Readonly<Record<PanelId, string>>,
	historyQueries: Readonly<Record<PanelId, string>>,
): Promise<FakePrometheus> {
	const panelOf = new Map<string, PanelId>(
		panelIds.map(panel => [queries[panel], panel]),
	);
	// The backfill asks for instance totals only.
	const historyPanelOf = new Map<string, PanelId>(
		panelIds.map(panel => [historyQueries[panel], panel]),
	);
	const names = Array.from(
		{length: instances},
		(_, index) => `10.0.${Math.floor(index / 250)}.${index % 250}:8000`,
	);
	// Aggregate the held series once: the per-instance sum of every metric over its 1,000 series.
	const sums = names.map((_, instance) => {
		const totals = new Map<string, number>();
		let series = 0;
		for (const [metric, share] of heldMetrics) {
			let total = 0;
			for (let index = 0; index < share; index++, series++) {
				total += ((instance * 31 + series * 17) % 97) / 97;
			}

			totals.set(metric, total);
		}

		if (series !== seriesPerInstance) {
			throw new Error(`held ${series} series per instance, not 1,000`);
		}

		return totals;
	});
	/** Which held metric stands behind each panel; the rest are latencies read off the TTFT histogram. */
	const panelMetric: Partial<Record<PanelId, readonly [string, number]>> = {
		requests_running: ['vllm:num_requests_running', 1],
		requests_waiting: ['vllm:num_requests_waiting', 1],
		kv_cache_usage: ['vllm:kv_cache_usage_perc', 1 / 8],
		prompt_tokens_per_s: ['vllm:prompt_tokens_total', 100],
		generation_tokens_per_s: ['vllm:generation_tokens_total', 100],
		requests_per_s: ['vllm:request_success_total', 1],
		preemptions_per_s: ['vllm:num_preemptions_total', 0.01],
		prefix_cache_hit_rate: ['vllm:kv_cache_usage_perc', 1 / 8],
	};
	const valueOf = (panel: PanelId, instance: number): number => {
		const totals = sums[instance]!;
		const [metric, scale] = panelMetric[panel] ?? [
			'vllm:time_to_first_token_seconds',
			1 / 464,
		];
		return (totals.get(metric) ?? 0) * scale;
	};

	type Row = {
		readonly metric: Readonly<Record<string, string>>;
		readonly value?: readonly [number, string];
		readonly values?: ReadonlyArray<readonly [number, string]>;
	};
	const engines = ['0', '1'];
	const model = 'meta-llama/Llama-3.1-8B-Instruct';
	/**
	The rows one instance adds to a panel's answer, each with its value: vLLM with two data-parallel engines serving one
	model, so the engine slices come with the total and the model slice does not (it is the total).
	*/
	const rowsOf = (
		panel: PanelId,
		instance: string,
		index: number,
		slices: boolean,
	): ReadonlyArray<readonly [Record<string, string>, number]> => {
		const base = {instance};
		// eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- the signal panels share the default
		switch (panel) {
			case 'requests_swapped':
			case 'cpu_kv_cache_usage': {
				// V0 only.
				return [];
			}

			case 'servers': {
				return engines.map(engine => [{...base, engine, model_name: model}, 1]);
			}

			case 'cacheConfig': {
				return engines.map(engine => [
					{
						...base,
						__name__: 'vllm:cache_config_info',
						job: 'vllm',
						engine,
						block_size: '16',
						num_gpu_blocks: String(1000 + index),
						enable_prefix_caching: 'True',
						gpu_memory_utilization: '0.9',
						cache_dtype: 'auto',
					},
					1,
				]);
			}

			case 'tokenTotals': {
				return [
					['vllm:request_prompt_tokens_sum', 512_000],
					['vllm:request_prompt_tokens_count', 1000],
					['vllm:request_generation_tokens_sum', 256_000],
					['vllm:request_generation_tokens_count', 1000],
				].map(([name, value]) => [
					{...base, __name__: String(name)},
					Number(value),
				]);
			}

			case 'families': {
				return [[{...base, __name__: 'vllm:kv_cache_usage_perc'}, 2]];
			}

			case 'startedAt': {
				return [[base, 1_700_000_000 + index]];
			}

			default: {
				const total = valueOf(panel, index);
				return slices
					? [
							[base, total],
							...engines.map(
								(engine): readonly [Record<string, string>, number] => [
									{...base, engine},
									total / 2,
								],
							),
						]
					: [[base, total]];
			}
		}
	};

	const answer = (panel: PanelId, points: readonly number[]) => {
		const at = points[0] ?? 0;
		const isRange = points.length > 1;
		const result: readonly Row[] = names.flatMap((instance, index) =>
			rowsOf(panel, instance, index, !isRange).map(([metric, number]): Row => {
				const value = String(number);
				return isRange
					? {metric, values: points.map(time => [time, value] as const)}
					: {metric, value: [at, value]};
			}),
		);
		return JSON.stringify({
			status: 'success',
			data: {resultType: isRange ? 'matrix' : 'vector', result},
		});
	};

	const counts = {query: 0, range: 0, unknown: 0};
	const rendered = new Map<PanelId, string>();
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://localhost');
		const query = url.searchParams.get('query') ?? '';
		const panel =
			url.pathname === '/api/v1/query_range'
				? historyPanelOf.get(query)
				: panelOf.get(query);
		const now = Math.floor(Date.now() / 1000);
		let body: string | undefined;
		if (url.pathname === '/api/v1/query') {
			counts.query++;
			// Rendered once per panel, as the simulator pages of the direct bench are: the refresh pays for the answers, not for making them.
			body = panel && rendered.get(panel);
			if (panel && body === undefined) {
				body = answer(panel, [now]);
				rendered.set(panel, body);
			}
		} else if (url.pathname === '/api/v1/query_range') {
			counts.range++;
			const start = Number(url.searchParams.get('start'));
			const end = Number(url.searchParams.get('end'));
			const step = Number(url.searchParams.get('step'));
			// Capped like Prometheus (11,000 points per series), so a bad step cannot blow up the answer.
			const steps =
				step > 0 ? Math.min(11_000, Math.floor((end - start) / step)) : -1;
			const points = Array.from(
				{length: steps + 1},
				(_, index) => start + index * step,
			);

			body = panel && answer(panel, points);
		}

		if (body === undefined) {
			counts.unknown++;
			response.writeHead(400, {'content-type': 'application/json'});
			response.end(
				JSON.stringify({
					status: 'error',
					errorType: 'bad_data',
					error: 'unknown query',
				}),
			);
			return;
		}

		response.writeHead(200, {'content-type': 'application/json'});
		response.end(body);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		url: `http://127.0.0.1:${portOf(server)}`,
		counts,
		async stop() {
			server.closeAllConnections();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

type PrometheusRun = {
	readonly instances: number;
	readonly firstQueries: number;
	readonly firstRange: number;
	readonly steadyQueries: number;
	readonly unknown: number;
	readonly shown: number;
	/** Instances whose snapshot has both engines, the cache config and a capacity ceiling. */
	readonly filled: number;
	readonly up: number;
	readonly firstMs: number;
	readonly steadyMs: number;
};

async function runPrometheus(instances: number): Promise<PrometheusRun> {
	const match = '{job="vllm"}';
	const windowSeconds = 60;
	const options = {
		match,
		by: 'instance',
		rateWindow: '1m',
		latencyWindow: `${windowSeconds}s`,
	};
	const fake = await startFakePrometheus(
		instances,
		panelQueries(options),
		panelQueries({...options, slices: false}),
	);
	const client = createPrometheusClient({url: fake.url});
	try {
		const session = createPrometheusSession({
			client,
			match,
			intervalMs,
			windowSeconds,
			alertConfig: defaultAlertConfig,
		});
		let started = performance.now();
		await session.scrapeAllOnce();
		const firstMs = performance.now() - started;
		const firstQueries = fake.counts.query;
		const firstRange = fake.counts.range;
		const steady: number[] = [];
		const refreshes = 5;
		for (let index = 0; index < refreshes; index++) {
			started = performance.now();
			await session.scrapeAllOnce();
			steady.push(performance.now() - started);
		}

		const views = session.store.get().targets;
		return {
			instances,
			firstQueries,
			firstRange,
			steadyQueries:
				(fake.counts.query + fake.counts.range - firstQueries - firstRange) /
				refreshes,
			unknown: fake.counts.unknown,
			shown: views.length,
			up: views.filter(view => view.phase === 'up').length,
			filled: views.filter(
				view =>
					view.snapshot?.per_engine.length === 2 &&
					view.snapshot.cache_config !== null &&
					typeof view.snapshot.capacity?.concurrency_ceiling === 'number',
			).length,
			firstMs,
			steadyMs: quantile(steady, 0.5),
		};
	} finally {
		await client.close();
		await fake.stop();
	}
}

async function benchPrometheus(): Promise<string[]> {
	const runs: PrometheusRun[] = [];
	for (const instances of [5, 50, 500]) {
		runs.push(await runPrometheus(instances));
	}

	const lines = [
		`Prometheus mode, a fake Prometheus API holding N instances x ${seriesPerInstance.toLocaleString('en-US')} series (its answers aggregated by instance)`,
	];
	for (const run of runs) {
		lines.push(
			`  ${String(run.instances).padStart(3)} instances: first refresh ${run.firstQueries} queries + ${run.firstRange} range (backfill) in ${run.firstMs.toFixed(1)} ms; then ${run.steadyQueries} queries per refresh in ${run.steadyMs.toFixed(1)} ms (median of 5); ${run.up}/${run.shown} instances up, ${run.filled} with engines, cache config and capacity, ${run.unknown} unrecognised queries`,
		);
	}

	const [few, many] = [runs[0]!, runs.at(-1)!];
	const same =
		runs.every(run => run.steadyQueries === few.steadyQueries) &&
		runs.every(
			run =>
				run.firstQueries + run.firstRange === few.firstQueries + few.firstRange,
		);
	lines.push(
		`  queries per refresh ${same ? 'do not grow' : 'GROW'} with the instances (${few.steadyQueries} at ${few.instances}, ${many.steadyQueries} at ${many.instances}); one query per target and panel would be ${panelIds.length * many.instances} at ${many.instances}`,
		`  refresh time ${many.instances} vs ${few.instances} instances: ${(many.steadyMs / few.steadyMs).toFixed(1)}x for ${many.instances / few.instances}x the instances`,
	);
	return lines;
}

export async function runFleetBench(): Promise<string[]> {
	const seconds = benchSeconds();
	return [...(await benchDirect(seconds)), '', ...(await benchPrometheus())];
}

const mainFile = process.argv[1];
const isMain =
	mainFile !== undefined && import.meta.url === pathToFileURL(mainFile).href;
if (isMain && process.argv[2] === serveFlag) {
	await serveTargets(Number(process.argv[3]), Number(process.argv[4]));
} else if (isMain && process.argv[2] === '--startup') {
	// `--startup` measures only the start-up of a targets file.
	const server = await startTargetServer(largeFleetSize + 1, 8);
	try {
		const one = await measureStartup(server.ports.slice(0, 1));
		console.log(
			describeStartup(await measureStartup(server.ports.slice(1)), one),
		);
	} finally {
		server.stop();
	}
} else if (isMain) {
	// `--prometheus` runs only the Prometheus-mode part, which needs no simulators.
	const lines =
		process.argv[2] === '--prometheus'
			? await benchPrometheus()
			: await runFleetBench();
	for (const line of lines) {
		console.log(line);
	}
}
