import {once} from 'node:events';
import http from 'node:http';
import {gzipSync} from 'node:zlib';
import {
	type ClusterState,
	advanceCluster,
	emptyClusterEvents,
	initialClusterState,
	resizeEngines,
	shiftTime,
} from './cluster-model.js';
import {Prng, deriveSeed} from './prng.js';
import {
	type Scenario,
	type ScenarioName,
	isScenarioName,
	scenarioNames,
	scenarios,
	serverPhaseAt,
} from './scenarios.js';
import {DcgmMetrics} from './dcgm-registry.js';
import {type SimulatorMetrics, V1Metrics} from './vllm-registry.js';
import {V0Metrics} from './vllm-v0-registry.js';

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
	/** Simulated GPUs behind the server, served as a DCGM exporter page at /dcgm/metrics. Default 0. */
	readonly gpus?: number;
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
export const simulatedVersion = {v1: '0.27.0', v0: '0.6.3'} as const;

/** A scrape that answers later than this counts as hung for a monitor with a 3 s deadline. */
const defaultFlakyHangMs = 10_000;

/** Catching up more than this many sim seconds at once is skipped (the server idles meanwhile) to keep scrapes cheap. */
const maxCatchUpSeconds = 120;

const metricsContentType = 'text/plain; version=0.0.4; charset=utf-8';

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

function effectiveScenario(
	name: ScenarioName,
	options: SimulatorOptions,
): Scenario {
	const scenario = scenarios[name];
	const engines = options.legacyV0 ? 1 : (options.engines ?? scenario.engines);
	// V0 0.6.3 had neither data-parallel engines nor the V1 spec-decode counters.
	return options.legacyV0
		? {...scenario, engines, specDecodeTokens: 0}
		: {...scenario, engines};
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
	let scenario = effectiveScenario(scenarioName, options);
	let state: ClusterState = initialClusterState(
		scenario,
		seed,
		scenario.engines,
	);
	// Moves on a restart only: a scenario change keeps the same server.
	let startTimeSeconds = startTimeMs / 1000;
	const makeMetrics = (): SimulatorMetrics => {
		const setup = {
			scenario,
			modelName,
			engines: scenario.engines,
			startTimeSeconds,
		};
		return legacyV0 ? new V0Metrics(setup) : new V1Metrics(setup);
	};

	let metrics = makeMetrics();
	const dcgm = options.gpus ? new DcgmMetrics(options.gpus) : undefined;
	metrics.update(state, startTimeMs / 1000);
	const flakyRng = new Prng(deriveSeed(seed, 7));
	const profiler: Mutable<ProfilerState> = {active: false, starts: 0, stops: 0};
	const timers = new Set<NodeJS.Timeout>();
	let realAnchorMs = performance.now();
	let simAnchor = 0;
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

	const clockNow = () =>
		simAnchor + ((performance.now() - realAnchorMs) / 1000) * timeScale;

	const advanceTo = (target: number, skipLongGaps: boolean) => {
		if (target <= state.time) {
			return;
		}

		if (skipLongGaps && target - state.time > maxCatchUpSeconds) {
			state = shiftTime(state, target - state.time - maxCatchUpSeconds);
		}

		const events = emptyClusterEvents(state.engines.length);
		const next = advanceCluster(state, scenario, target, events);
		if (next.generation !== state.generation) {
			startTimeSeconds = startTimeMs / 1000 + next.time;
			metrics = makeMetrics();
		}

		state = next;
		for (const [engine, engineEvents] of events.perEngine.entries()) {
			metrics.record(engine, engineEvents);
		}

		metrics.update(state, startTimeMs / 1000 + state.time);
	};

	const sync = () => {
		advanceTo(clockNow(), true);
	};

	const sendJson = (
		response: http.ServerResponse,
		status: number,
		body: unknown,
	) => {
		const text = JSON.stringify(body);
		response.writeHead(status, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(text),
		});
		response.end(text);
	};

	const notFound = (response: http.ServerResponse) => {
		sendJson(response, 404, {detail: 'Not Found'});
	};

	const serveMetrics = async (
		request: http.IncomingMessage,
		response: http.ServerResponse,
	) => {
		const {flaky} = scenario;
		if (flaky) {
			const draw = flakyRng.next();
			if (draw < flaky.dropProbability) {
				request.socket.destroy();
				return;
			}

			if (draw < flaky.dropProbability + flaky.errorProbability) {
				response.writeHead(500, {'content-type': 'text/plain; charset=utf-8'});
				response.end('Internal Server Error');
				return;
			}

			if (
				draw <
				flaky.dropProbability + flaky.errorProbability + flaky.hangProbability
			) {
				await later(flakyHangMs);
				if (stopped || response.destroyed) {
					return;
				}
			}
		}

		sync();
		const text = await metrics.metrics();
		const body = Buffer.from(text, 'utf8');
		const acceptsGzip = String(request.headers['accept-encoding'] ?? '')
			.split(',')
			.some(part => part.split(';')[0]?.trim() === 'gzip');
		if (options.gzip && acceptsGzip) {
			const zipped = gzipSync(body);
			response.writeHead(200, {
				'content-type': metricsContentType,
				'content-encoding': 'gzip',
				'content-length': zipped.length,
			});
			response.end(zipped);
			return;
		}

		response.writeHead(200, {
			'content-type': metricsContentType,
			'content-length': body.length,
		});
		response.end(body);
	};

	const models = () => {
		const created = Math.floor(startTimeMs / 1000);
		const card = (
			id: string,
			root: string,
			parent: string | null,
			maxModelLen: number | null,
		) => ({
			id,
			object: 'model',
			created,
			owned_by: 'vllm',
			root,
			parent,
			max_model_len: maxModelLen,
			permission: [
				{
					id: `modelperm-${Buffer.from(id).toString('hex').slice(0, 32)}`,
					object: 'model_permission',
					created,
					allow_create_engine: false,
					allow_sampling: true,
					allow_logprobs: true,
					allow_search_indices: false,
					allow_view: true,
					allow_fine_tuning: false,
					organization: '*',
					group: null,
					is_blocking: false,
				},
			],
		});
		const adapters = scenario.lora?.adapters ?? [];
		return {
			object: 'list',
			data: [
				card(modelName, modelName, null, scenario.maxModelLen),
				...adapters.map(adapter =>
					card(adapter, `/adapters/${adapter}`, modelName, null),
				),
			],
		};
	};

	const handle = async (
		request: http.IncomingMessage,
		response: http.ServerResponse,
	) => {
		const path = (request.url ?? '/').split('?')[0] ?? '/';
		const method = request.method ?? 'GET';
		const postOnly = path === '/start_profile' || path === '/stop_profile';
		if (postOnly && !options.profiler) {
			notFound(response);
			return;
		}

		if (postOnly && method !== 'POST') {
			sendJson(response, 405, {detail: 'Method Not Allowed'});
			return;
		}

		switch (path) {
			case '/dcgm/metrics': {
				sync();
				dcgm?.update(state, scenario);
				if (dcgm) {
					await dcgm.serve(response);
				} else {
					notFound(response);
				}

				return;
			}

			case '/metrics': {
				await serveMetrics(request, response);
				return;
			}

			case '/health':
			case '/ping': {
				sync();
				const dead = serverPhaseAt(scenario, state.time) !== 'up';
				response.writeHead(dead ? 503 : 200, {'content-length': 0});
				response.end();
				return;
			}

			case '/version': {
				sendJson(response, 200, {
					version: legacyV0 ? simulatedVersion.v0 : simulatedVersion.v1,
				});
				return;
			}

			case '/v1/models': {
				sendJson(response, 200, models());
				return;
			}

			case '/start_profile': {
				if (!profiler.active) {
					profiler.active = true;
					profiler.starts++;
				}

				response.writeHead(200, {'content-length': 0});
				response.end();
				return;
			}

			case '/stop_profile': {
				if (profiler.active) {
					// Writing the traces takes a while on a real server; the call blocks until it is done.
					await later(profilerStopMs);
					profiler.active = false;
					profiler.stops++;
				}

				if (!response.destroyed) {
					response.writeHead(200, {'content-length': 0});
					response.end();
				}

				return;
			}

			default: {
				notFound(response);
			}
		}
	};

	const server = http.createServer((request, response) => {
		request.resume();
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
		if (stopped || !scenario.restart || timeScale === 0) {
			return;
		}

		const now = clockNow();
		const phase = serverPhaseAt(scenario, now);
		if (phase === 'down' && listening) {
			listening = false;
			server.close();
			server.closeAllConnections();
		} else if (phase !== 'down' && !listening) {
			listen(port).catch(() => {
				// The port was taken meanwhile; try again at the next phase change.
			});
		}

		const plan = scenario.restart;
		const cycle = now % plan.everySeconds;
		const boundaries = [
			plan.deadSeconds,
			plan.deadSeconds + plan.downSeconds,
			plan.everySeconds,
		];
		const next =
			boundaries.find(boundary => boundary > cycle) ?? plan.everySeconds;
		const delayMs = Math.max(5, ((next - cycle) / timeScale) * 1000 + 1);
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
			return state.time;
		},
		setScenario(name) {
			if (!isScenarioName(name)) {
				throw new RangeError(
					`unknown scenario "${String(name)}"; pick one of ${scenarioNames.join(', ')}`,
				);
			}

			sync();
			scenarioName = name;
			scenario = effectiveScenario(name, {
				...options,
				engines: options.engines,
			});
			state = resizeEngines(state, scenario, scenario.engines);
			metrics = makeMetrics();
			metrics.update(state, startTimeMs / 1000 + state.time);
			if (restartTimer) {
				clearTimeout(restartTimer);
			}

			watchRestarts();
		},
		advance(simSeconds) {
			if (!Number.isFinite(simSeconds) || simSeconds < 0) {
				throw new RangeError(
					`advance() takes sim seconds >= 0, got ${simSeconds}`,
				);
			}

			sync();
			simAnchor = clockNow() + simSeconds;
			advanceTo(simAnchor, false);
			// The jump is instantaneous in sim time: the real time spent computing it does not count.
			realAnchorMs = performance.now();
			// The next restart phase change moved closer in wall-clock time.
			if (restartTimer) {
				clearTimeout(restartTimer);
			}

			watchRestarts();
		},
		restart() {
			sync();
			manualRestarts++;
			const fresh = initialClusterState(
				scenario,
				deriveSeed(seed, 100 + manualRestarts),
				scenario.engines,
			);
			state = {
				...shiftTime(fresh, state.time),
				seed,
				generation: state.generation,
			};
			startTimeSeconds = startTimeMs / 1000 + state.time;
			metrics = makeMetrics();
			metrics.update(state, startTimeMs / 1000 + state.time);
		},
		async stop() {
			if (stopped) {
				return;
			}

			stopped = true;
			if (restartTimer) {
				clearTimeout(restartTimer);
			}

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
