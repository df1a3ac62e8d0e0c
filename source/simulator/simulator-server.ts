import {once} from 'node:events';
import http from 'node:http';
import {gzipSync} from 'node:zlib';
import {serveGeneration, serveTokenize, sendJson} from './openai-routes.js';
import {PrefixIndex} from './prefix-index.js';
import {Prng, deriveSeed} from './prng.js';
import {
	type Scenario,
	type ScenarioName,
	isScenarioName,
	fitToServer,
	scenarioNames,
	scenarios,
	serverPhaseAt,
} from './scenarios.js';
import {createSimulatorClock} from './simulator-clock.js';
import {modelList, routeOf} from './simulator-endpoints.js';
import {
	apiFault,
	metricsFault,
	nextRestartBoundary,
} from './simulator-faults.js';
import {DcgmMetrics} from './dcgm-registry.js';
import type {SimulatedDialect} from './simulated-dialect.js';

export {scenarioNames, type ScenarioName} from './scenarios.js';

export type SimulatorOptions = {
	/** 0 (the default) picks a free port. */
	readonly port?: number;
	readonly host?: string;
	readonly scenario?: ScenarioName;
	readonly seed?: number;
	/** Sim seconds per real second; 0 freezes the clock so only `advance()` moves it. Default 1. */
	readonly timeScale?: number;
	/** Serve the V0 metric set of vLLM 0.6.3 instead of current main's V1 set. */
	readonly legacyV0?: boolean;
	/** Data-parallel engines; defaults to the scenario's. V0 has one engine. */
	readonly engines?: number;
	/** Speculative decoding with 3 draft tokens on any scenario (V1 only). */
	readonly specDecode?: boolean;
	/** Report the cache configuration of a hybrid attention/mamba model. */
	readonly hybrid?: boolean;
	/** Register /start_profile and /stop_profile (otherwise they answer 404, as on a server without --profiler-config). */
	readonly profiler?: boolean;
	/** How long /stop_profile takes, like a real server flushing traces. Default 2000 ms. */
	readonly profilerStopMs?: number;
	/** Gzip /metrics when the client accepts it, as vLLM up to 0.8.4 did. Default off, like current vLLM. */
	readonly gzip?: boolean;
	readonly modelName?: string;
	/** How long a `flaky` scrape hangs before answering. Default 10000 ms. */
	readonly flakyHangMs?: number;
	/** Wall-clock time that sim time 0 stands for (unix ms); fixed values make pages byte-identical across runs. */
	readonly startTimeMs?: number;
	/** Play the scenario's own arrivals (default); false leaves requests sent to the OpenAI endpoints as the only load. */
	readonly traffic?: boolean;
	/** Simulated GPUs behind the server, served as a DCGM exporter page at /dcgm/metrics. Default 0. */
	readonly gpus?: number;
	/** Offload KV to CPU memory as vLLM's OffloadingConnector does (V1 only). Default off. */
	readonly kvOffload?: boolean;
	/** Whose `/metrics` page to serve: vLLM's (default), vLLM's under Ray Serve LLM, or SGLang's. */
	readonly dialect?: SimulatedDialect;
	/** Route nine requests in ten to engine 0, so data-parallel engines drift apart. */
	readonly skew?: boolean;
};

export type ProfilerState = {
	readonly active: boolean;
	readonly starts: number;
	readonly stops: number;
};

export type Simulator = {
	/** Base URL, e.g. http://127.0.0.1:PORT */
	readonly url: string;
	readonly port: number;
	readonly scenario: ScenarioName;
	/** Sim seconds since start. */
	readonly simTime: number;
	readonly profiler: ProfilerState;
	/** Switches the load shape; counters continue, histograms restart (their bucket sets may change). */
	setScenario(name: ScenarioName): void;
	/** Moves the sim clock forward by `simSeconds` right now, independent of the wall clock. */
	advance(simSeconds: number): void;
	/** Restarts the server's engine: in-flight requests are lost and every counter starts again from zero. */
	restart(): void;
	stop(): Promise<void>;
};

export const defaultModelName = 'meta-llama/Llama-3.1-8B-Instruct';

/** What /version reports: a current release for the V1 set, the last release that shipped the 0.6.3 V0 set. */
export const simulatedVersion = {
	v1: '0.27.0',
	v0: '0.6.3',
	sglang: '0.5.6',
} as const;

/** A scrape that answers later than this counts as hung for a monitor with a 3 s deadline. */
const defaultFlakyHangMs = 10_000;

const metricsContentType = 'text/plain; version=0.0.4; charset=utf-8';

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

function effectiveScenario(
	name: ScenarioName,
	options: SimulatorOptions,
): Scenario {
	const base = scenarios[name];
	const engines = options.legacyV0 ? 1 : (options.engines ?? base.engines);
	const quiet = options.traffic === false ? {rate: () => 0, peakRate: 0} : {};
	// V0 0.6.3 had neither data-parallel engines nor the V1 spec-decode counters.
	const specDecodeTokens = options.legacyV0
		? 0
		: options.specDecode
			? Math.max(3, base.specDecodeTokens)
			: base.specDecodeTokens;
	return {
		...fitToServer(base, {engines, specDecodeTokens}),
		...quiet,
		hybrid: options.hybrid ?? false,
		kvOffload: options.kvOffload,
		...(options.skew ? {skew: true} : {}),
	};
}

function validate(options: SimulatorOptions): void {
	const {
		port = 0,
		timeScale = 1,
		engines,
		scenario = 'steady',
		profilerStopMs = 0,
		seed = 0,
	} = options;
	if (!Number.isInteger(port) || port < 0 || port > 65_535) {
		throw new RangeError(`port must be an integer 0-65535, got ${port}`);
	}

	if (!Number.isFinite(timeScale) || timeScale < 0) {
		throw new RangeError(`timeScale must be a number >= 0, got ${timeScale}`);
	}

	if (
		engines !== undefined &&
		(!Number.isInteger(engines) || engines < 1 || engines > 64)
	) {
		throw new RangeError(`engines must be an integer 1-64, got ${engines}`);
	}

	if (!isScenarioName(scenario)) {
		throw new RangeError(
			`unknown scenario "${String(scenario)}"; pick one of ${scenarioNames.join(', ')}`,
		);
	}

	if (!Number.isFinite(profilerStopMs) || profilerStopMs < 0) {
		throw new RangeError(`profilerStopMs must be >= 0, got ${profilerStopMs}`);
	}

	if (!Number.isInteger(seed)) {
		throw new RangeError(`seed must be an integer, got ${seed}`);
	}
}

/** Starts a simulated vLLM OpenAI server on loopback (or `host`) and resolves once it listens. */
export async function startSimulator(
	options: SimulatorOptions = {},
): Promise<Simulator> {
	validate(options);
	const host = options.host ?? '127.0.0.1';
	const seed = (options.seed ?? 0) >>> 0;
	const timeScale = options.timeScale ?? 1;
	const modelName = options.modelName ?? defaultModelName;
	const startTimeMs = options.startTimeMs ?? Date.now();
	const flakyHangMs = options.flakyHangMs ?? defaultFlakyHangMs;
	const profilerStopMs = options.profilerStopMs ?? 2000;
	const legacyV0 = options.legacyV0 ?? false;

	let scenarioName: ScenarioName = options.scenario ?? 'steady';
	const clock = createSimulatorClock({
		scenario: effectiveScenario(scenarioName, options),
		seed,
		timeScale,
		startTimeMs,
		modelName,
		legacyV0,
		dialect: options.dialect,
	});
	const dcgm = options.gpus ? new DcgmMetrics(options.gpus) : undefined;
	const flakyRng = new Prng(deriveSeed(seed, 7));
	const apiRng = new Prng(deriveSeed(seed, 8));
	let prefixIndex = new PrefixIndex(clock.scenario.blockSize);
	const profiler: Mutable<ProfilerState> = {active: false, starts: 0, stops: 0};
	const timers = new Set<NodeJS.Timeout>();
	let stopped = false;
	let manualRestarts = 0;

	const later = async (ms: number): Promise<void> =>
		new Promise(resolve => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve();
			}, ms);
			timers.add(timer);
		});

	const routes = {
		clock,
		modelName,
		modelNames: () => [modelName, ...(clock.scenario.lora?.adapters ?? [])],
		created: Math.floor(startTimeMs / 1000),
		prefixIndex: () => prefixIndex,
		rng: apiRng,
		fault() {
			clock.sync();
			return apiFault(clock.scenario, clock.state.time, apiRng);
		},
	};

	const serveMetrics = async (
		request: http.IncomingMessage,
		response: http.ServerResponse,
	) => {
		const fault = metricsFault(clock.scenario, flakyRng);
		if (fault === 'drop') {
			request.socket.destroy();
			return;
		}

		if (fault === 'error') {
			response.writeHead(500, {'content-type': 'text/plain; charset=utf-8'});
			response.end('Internal Server Error');
			return;
		}

		if (fault === 'hang') {
			await later(flakyHangMs);
			if (stopped || response.destroyed) {
				return;
			}
		}

		clock.sync();
		const body = Buffer.from(await clock.metrics.metrics(), 'utf8');
		const acceptsGzip = String(request.headers['accept-encoding'] ?? '')
			.split(',')
			.some(part => part.split(';')[0]?.trim() === 'gzip');
		const zipped = options.gzip && acceptsGzip ? gzipSync(body) : undefined;
		response.writeHead(200, {
			'content-type': metricsContentType,
			...(zipped ? {'content-encoding': 'gzip'} : {}),
			'content-length': (zipped ?? body).length,
		});
		response.end(zipped ?? body);
	};

	const serveProfiler = async (path: string, response: http.ServerResponse) => {
		if (path === '/start_profile' && !profiler.active) {
			profiler.active = true;
			profiler.starts++;
		}

		if (path === '/stop_profile' && profiler.active) {
			// Writing the traces takes a while on a real server; the call blocks until it is done.
			await later(profilerStopMs);
			profiler.active = false;
			profiler.stops++;
		}

		if (!response.destroyed) {
			response.writeHead(200, {'content-length': 0});
			response.end();
		}
	};

	const handle = async (
		request: http.IncomingMessage,
		response: http.ServerResponse,
	) => {
		const path = (request.url ?? '/').split('?')[0] ?? '/';
		const method = request.method ?? 'GET';
		const route = routeOf(path, method, options.profiler ?? false);
		if (typeof route === 'number') {
			request.resume();
			sendJson(response, route, {
				detail: route === 404 ? 'Not Found' : 'Method Not Allowed',
			});
			return;
		}

		if (route !== 'completions' && route !== 'chat' && route !== 'tokenize') {
			request.resume();
		}

		switch (route) {
			case 'dcgm': {
				clock.sync();
				if (dcgm) {
					dcgm.update(clock.state, clock.scenario);
					await dcgm.serve(response);
				} else {
					sendJson(response, 404, {detail: 'Not Found'});
				}

				return;
			}

			case 'metrics': {
				await serveMetrics(request, response);
				return;
			}

			case 'health': {
				clock.sync();
				const dead = serverPhaseAt(clock.scenario, clock.state.time) !== 'up';
				response.writeHead(dead ? 503 : 200, {'content-length': 0});
				response.end();
				return;
			}

			case 'version': {
				sendJson(response, 200, {
					version:
						options.dialect === 'sglang'
							? simulatedVersion.sglang
							: legacyV0
								? simulatedVersion.v0
								: simulatedVersion.v1,
				});
				return;
			}

			case 'models': {
				sendJson(
					response,
					200,
					modelList(clock.scenario, modelName, startTimeMs),
				);
				return;
			}

			case 'profiler': {
				await serveProfiler(path, response);
				return;
			}

			case 'tokenize': {
				await serveTokenize(routes, request, response);
				return;
			}

			case 'completions':
			case 'chat': {
				await serveGeneration(routes, route, request, response);
			}
		}
	};

	const server = http.createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			if (!response.headersSent) {
				response.writeHead(500, {'content-type': 'text/plain; charset=utf-8'});
			}

			response.end(error instanceof Error ? error.message : String(error));
		});
	});
	server.keepAliveTimeout = 5000;

	let listening = false;
	const listen = async (port: number) => {
		await new Promise<void>((resolve, reject) => {
			const onError = (error: Error) => {
				reject(error);
			};

			server.once('error', onError);
			server.listen(port, host, () => {
				server.off('error', onError);
				resolve();
			});
		});
		listening = true;
	};

	await listen(options.port ?? 0);
	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('the simulator server has no TCP address');
	}

	const {port} = address;

	// Restarts refuse connections for a while. This is only wall-clock driven (timeScale > 0) and wakes up at phase
	// changes only, so an idle simulator costs nothing.
	let restartTimer: NodeJS.Timeout | undefined;
	const watchRestarts = () => {
		clearTimeout(restartTimer);
		if (stopped || !clock.scenario.restart || timeScale === 0) {
			return;
		}

		const now = clock.now();
		const phase = serverPhaseAt(clock.scenario, now);
		if (phase === 'down' && listening) {
			listening = false;
			server.close();
			server.closeAllConnections();
		} else if (phase !== 'down' && !listening) {
			listen(port).catch(() => {
				// The port was taken meanwhile; try again at the next phase change.
			});
		}

		const waitSeconds = nextRestartBoundary(clock.scenario, now);
		const delayMs = Math.max(5, (waitSeconds / timeScale) * 1000 + 1);
		restartTimer = setTimeout(watchRestarts, delayMs);
	};

	watchRestarts();

	const simulator: Simulator = {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
		port,
		get scenario() {
			return scenarioName;
		},
		get simTime() {
			return clock.state.time;
		},
		setScenario(name) {
			if (!isScenarioName(name)) {
				throw new RangeError(
					`unknown scenario "${String(name)}"; pick one of ${scenarioNames.join(', ')}`,
				);
			}

			scenarioName = name;
			clock.setScenario(effectiveScenario(name, options));
			prefixIndex = new PrefixIndex(clock.scenario.blockSize);
			watchRestarts();
		},
		advance(simSeconds) {
			if (!Number.isFinite(simSeconds) || simSeconds < 0) {
				throw new RangeError(
					`advance() takes sim seconds >= 0, got ${simSeconds}`,
				);
			}

			clock.advance(simSeconds);
			// The next restart phase change moved closer in wall-clock time.
			watchRestarts();
		},
		restart() {
			manualRestarts++;
			clock.restart(100 + manualRestarts);
			prefixIndex = new PrefixIndex(clock.scenario.blockSize);
		},
		async stop() {
			if (stopped) {
				return;
			}

			stopped = true;
			clearTimeout(restartTimer);
			clock.stop();
			for (const timer of timers) {
				clearTimeout(timer);
			}

			timers.clear();
			if (listening) {
				listening = false;
				const closed = once(server, 'close');
				server.close();
				server.closeAllConnections();
				await closed;
			}
		},
		profiler,
	};
	return simulator;
}
