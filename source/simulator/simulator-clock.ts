import {
	type ClusterEvents,
	type ClusterState,
	advanceCluster,
	cancelClusterRequest,
	emptyClusterEvents,
	initialClusterState,
	injectRequest,
	leastLoadedEngine,
	resizeEngines,
	shiftTime,
} from './cluster-model.js';
import type {Arrival, FinishedRequest} from './engine-model.js';
import {deriveSeed} from './prng.js';
import type {Scenario} from './scenarios.js';
import {dialectMetrics, type SimulatedDialect} from './simulated-dialect.js';
import type {SimulatorMetrics} from './vllm-registry.js';

/**
The simulator's clock and model state: sim time follows the wall clock times `timeScale`, the model catches up lazily
(on a scrape) or, while HTTP requests wait for tokens, at the end of every engine step so tokens leave on time.
*/

/** Catching up more than this many sim seconds at once is skipped (the server idles meanwhile) to keep scrapes cheap. */
const maxCatchUpSeconds = 120;

/** What an HTTP request hears about its tokens, at the wall time the engine made them. */
export type RequestListener = {
	readonly onTokens: (count: number) => void;
	readonly onFinish: (finished: FinishedRequest) => void;
	/** The server restarted: the request is gone without an answer. */
	readonly onLost: () => void;
};

export type ClockSetup = {
	readonly scenario: Scenario;
	readonly seed: number;
	readonly timeScale: number;
	readonly startTimeMs: number;
	readonly modelName: string;
	readonly legacyV0: boolean;
	/** The server whose page `/metrics` imitates. @default 'vllm' */
	readonly dialect?: SimulatedDialect;
};

export type SimulatorClock = {
	readonly state: ClusterState;
	readonly scenario: Scenario;
	readonly metrics: SimulatorMetrics;
	readonly now: () => number;
	readonly sync: () => void;
	readonly advance: (simSeconds: number) => void;
	readonly restart: (generationSeed: number) => void;
	readonly setScenario: (scenario: Scenario) => void;
	/** Hands a request to the least loaded engine; returns its id. */
	readonly submit: (
		arrival: Omit<Arrival, 'id' | 'time'>,
		listener: RequestListener,
	) => number;
	readonly cancel: (id: number) => void;
	readonly stop: () => void;
};

function makeMetrics(
	setup: ClockSetup,
	scenario: Scenario,
	startTimeSeconds: number,
): SimulatorMetrics {
	const options = {
		scenario,
		modelName: setup.modelName,
		engines: scenario.engines,
		startTimeSeconds,
	};
	return dialectMetrics(setup.dialect ?? 'vllm', setup.legacyV0, options);
}

export function createSimulatorClock(setup: ClockSetup): SimulatorClock {
	const {timeScale, startTimeMs, seed} = setup;
	let {scenario} = setup;
	let state = initialClusterState(scenario, seed, scenario.engines);
	// Moves on a restart only: a scenario change keeps the same server.
	let startTimeSeconds = startTimeMs / 1000;
	let metrics = makeMetrics(setup, scenario, startTimeSeconds);
	metrics.update(state, startTimeSeconds);
	let realAnchorMs = performance.now();
	let simAnchor = 0;
	let stopped = false;
	const listeners = new Map<number, RequestListener>();
	const deliveries = new Set<NodeJS.Timeout>();
	let pacer: NodeJS.Timeout | undefined;

	const now = () =>
		simAnchor + ((performance.now() - realAnchorMs) / 1000) * timeScale;

	/** Runs `task` at the wall time that sim time `simTime` stands for (right away if that has passed). */
	const at = (simTime: number, task: () => void) => {
		const delayMs = timeScale > 0 ? ((simTime - now()) / timeScale) * 1000 : 0;
		if (delayMs < 1) {
			task();
			return;
		}

		const timer = setTimeout(() => {
			deliveries.delete(timer);
			task();
		}, delayMs);
		deliveries.add(timer);
	};

	const loseAll = () => {
		const lost = [...listeners.values()];
		listeners.clear();
		for (const listener of lost) {
			listener.onLost();
		}
	};

	const deliver = (events: ClusterEvents) => {
		for (const engineEvents of events.perEngine) {
			for (const token of engineEvents.tokens) {
				const listener = listeners.get(token.id);
				if (listener) {
					at(token.time, () => {
						listener.onTokens(token.count);
					});
				}
			}

			for (const request of engineEvents.finished) {
				const listener = request.tracked
					? listeners.get(request.requestId)
					: undefined;
				if (listener) {
					listeners.delete(request.requestId);
					at(request.endTime, () => {
						listener.onFinish(request);
					});
				}
			}
		}
	};

	const record = (events: ClusterEvents) => {
		for (const [engine, engineEvents] of events.perEngine.entries()) {
			metrics.record(engine, engineEvents);
		}

		metrics.update(state, startTimeMs / 1000 + state.time);
		deliver(events);
	};

	const advanceTo = (target: number, skipLongGaps: boolean) => {
		if (target <= state.time) {
			return;
		}

		if (skipLongGaps && target - state.time > maxCatchUpSeconds) {
			state = shiftTime(state, target - state.time - maxCatchUpSeconds);
		}

		const events = emptyClusterEvents(state.engines.length);
		const next = advanceCluster(state, scenario, target, events);
		const restarted = next.generation !== state.generation;
		state = next;
		if (restarted) {
			startTimeSeconds = startTimeMs / 1000 + next.time;
			metrics = makeMetrics(setup, scenario, startTimeSeconds);
			loseAll();
		}

		record(events);
	};

	const sync = () => {
		advanceTo(now(), true);
	};

	/** While requests wait for tokens, wake up when the earliest engine step ends, so the next one starts on time. */
	const pace = () => {
		if (pacer !== undefined || stopped || timeScale === 0) {
			return;
		}

		if (listeners.size === 0) {
			return;
		}

		const busy = state.engines.filter(
			engine => engine.running.length + engine.waiting.length > 0,
		);
		const wake = Math.min(...busy.map(engine => engine.time), now() + 0.05);
		const delayMs = Math.max(0, ((wake - now()) / timeScale) * 1000);
		pacer = setTimeout(() => {
			pacer = undefined;
			sync();
			pace();
		}, delayMs);
	};

	return {
		get state() {
			return state;
		},
		get scenario() {
			return scenario;
		},
		get metrics() {
			return metrics;
		},
		now,
		sync,
		advance(simSeconds) {
			sync();
			simAnchor = now() + simSeconds;
			advanceTo(simAnchor, false);
			// The jump is instantaneous in sim time: the real time spent computing it does not count.
			realAnchorMs = performance.now();
		},
		restart(generationSeed) {
			sync();
			const fresh = initialClusterState(
				scenario,
				deriveSeed(seed, generationSeed),
				scenario.engines,
			);
			state = {
				...shiftTime(fresh, state.time),
				seed,
				generation: state.generation,
			};
			startTimeSeconds = startTimeMs / 1000 + state.time;
			metrics = makeMetrics(setup, scenario, startTimeSeconds);
			metrics.update(state, startTimeMs / 1000 + state.time);
			loseAll();
		},
		setScenario(next) {
			sync();
			scenario = next;
			state = resizeEngines(state, scenario, scenario.engines);
			metrics = makeMetrics(setup, scenario, startTimeSeconds);
			metrics.update(state, startTimeMs / 1000 + state.time);
		},
		submit(arrival, listener) {
			sync();
			const engine = leastLoadedEngine(state);
			const time = Math.max(now(), state.time);
			const injected = injectRequest(state, engine, {...arrival, time});
			state = injected.state;
			listeners.set(injected.id, listener);
			metrics.update(state, startTimeMs / 1000 + state.time);
			pace();
			return injected.id;
		},
		cancel(id) {
			if (!listeners.delete(id)) {
				return;
			}

			sync();
			const events = emptyClusterEvents(state.engines.length);
			state = cancelClusterRequest(state, id, events);
			record(events);
		},
		stop() {
			stopped = true;
			clearTimeout(pacer);
			for (const timer of deliveries) {
				clearTimeout(timer);
			}

			deliveries.clear();
			listeners.clear();
		},
	};
}
