import {
	type Arrival,
	type EngineConfig,
	type EngineEvents,
	type EngineState,
	abortAll,
	advanceEngine,
	cancelRequest,
	emptyEvents,
	enqueueRequest,
	initialEngineState,
} from './engine-model.js';
import {drawLength} from './length-distribution.js';
import {Prng, deriveSeed} from './prng.js';
import {
	type Scenario,
	type SleepLevel,
	restartsBy,
	serverPhaseAt,
	sleepLevelAt,
} from './scenarios.js';

/**
The whole server: a Poisson arrival stream shared by the data-parallel engines, plus the scenario's restarts and
sleep windows. Pure like the engine model: state in, state out, histogram observations appended to `events`.
*/
export type ClusterState = {
	readonly time: number;
	readonly seed: number;
	readonly rng: number;
	readonly nextArrivalTime: number;
	readonly nextRequestId: number;
	/** Restarts completed; a new value means every counter started again from zero. */
	readonly generation: number;
	readonly sleepLevel: SleepLevel;
	readonly engines: readonly EngineState[];
};

export type ClusterEvents = {
	/** One entry per engine, cleared when the server restarts. */
	perEngine: EngineEvents[];
};

export function engineConfigOf(scenario: Scenario): EngineConfig {
	return {
		blockSize: scenario.blockSize,
		numGpuBlocks: scenario.numGpuBlocks,
		maxNumSeqs: scenario.maxNumSeqs,
		maxNumBatchedTokens: scenario.maxNumBatchedTokens,
		specDecodeTokens: scenario.specDecodeTokens,
		enablePrefixCaching: scenario.enablePrefixCaching,
		clientTimeoutSeconds: scenario.clientTimeoutSeconds,
		errorProbability: scenario.errorProbability,
	};
}

function freshEngines(
	seed: number,
	generation: number,
	engines: number,
	config: EngineConfig,
	time: number,
): EngineState[] {
	return Array.from({length: engines}, (_, index) =>
		initialEngineState(
			config,
			deriveSeed(seed, 1000 + generation * 64 + index),
			time,
		),
	);
}

export function initialClusterState(
	scenario: Scenario,
	seed: number,
	engines: number,
): ClusterState {
	const rng = new Prng(deriveSeed(seed, 1));
	const first =
		scenario.peakRate > 0
			? rng.exponential(scenario.peakRate)
			: Number.POSITIVE_INFINITY;
	return {
		time: 0,
		seed,
		rng: rng.state,
		nextArrivalTime: first,
		nextRequestId: 0,
		generation: 0,
		sleepLevel: 0,
		engines: freshEngines(seed, 0, engines, engineConfigOf(scenario), 0),
	};
}

export function emptyClusterEvents(engines: number): ClusterEvents {
	return {perEngine: Array.from({length: engines}, () => emptyEvents())};
}

function drawArrival(
	rng: Prng,
	scenario: Scenario,
	id: number,
	time: number,
): Arrival {
	const promptTokens = drawLength(
		rng,
		scenario.prompt,
		scenario.maxModelLen - 1,
	);
	const room = scenario.maxModelLen - promptTokens;
	const maxTokensParam = rng.chance(scenario.maxTokensProbability)
		? Math.min(scenario.maxTokens, room)
		: undefined;
	const generationLimit = maxTokensParam ?? room;
	const outputTokens = Math.min(
		drawLength(rng, scenario.output, scenario.maxModelLen),
		generationLimit,
	);
	const shares = rng.chance(scenario.prefixShareProbability);
	const sharedPrefixTokens = shares
		? Math.floor(
				promptTokens * scenario.prefixShareFraction * (0.5 + rng.next() / 2),
			)
		: 0;
	const lora =
		scenario.lora && rng.chance(scenario.lora.share)
			? scenario.lora.adapters[
					Math.floor(rng.next() * scenario.lora.adapters.length)
				]
			: undefined;
	return {
		id,
		time,
		promptTokens,
		outputTokens,
		maxTokensParam,
		generationLimit,
		sharedPrefixTokens,
		lora,
		willError: rng.chance(scenario.errorProbability),
		tracked: false,
	};
}

/** The model advances in slices of this many sim seconds so data-parallel load balancing sees recent queue lengths. */
const sliceSeconds = 0.5;

/** Advances the server to sim time `until`. */
export function advanceCluster(
	state: ClusterState,
	scenario: Scenario,
	until: number,
	events: ClusterEvents,
): ClusterState {
	const config = engineConfigOf(scenario);
	const rng = new Prng(state.rng);
	let {time, nextArrivalTime, nextRequestId, generation, sleepLevel} = state;
	let engines = [...state.engines];
	while (time < until) {
		const sliceEnd = Math.min(
			until,
			Math.floor(time / sliceSeconds) * sliceSeconds + sliceSeconds,
		);
		const wantedGeneration = restartsBy(scenario, sliceEnd);
		if (wantedGeneration !== generation) {
			generation = wantedGeneration;
			engines = freshEngines(
				state.seed,
				generation,
				engines.length,
				config,
				sliceEnd,
			);
			for (const engineEvents of events.perEngine) {
				engineEvents.iterationTokens.length = 0;
				engineEvents.interTokenLatencies.length = 0;
				engineEvents.finished.length = 0;
				engineEvents.tokens.length = 0;
			}
		}

		const level = sleepLevelAt(scenario, time);
		if (level !== 0 && sleepLevel === 0) {
			engines = engines.map((engine, index) =>
				abortAll(engine, events.perEngine[index]!),
			);
		}

		sleepLevel = level;
		const serving = level === 0 && serverPhaseAt(scenario, time) === 'up';
		const arrivals: Arrival[][] = engines.map(() => []);
		const load = engines.map(
			engine => engine.running.length + engine.waiting.length,
		);
		while (nextArrivalTime < sliceEnd) {
			// Thinning turns the peak-rate stream into the scenario's time-varying rate.
			const accept =
				rng.next() * scenario.peakRate < scenario.rate(nextArrivalTime);
			if (accept && serving) {
				const target = routeArrival(
					load,
					scenario.skew === true,
					nextRequestId,
				);
				load[target]!++;
				arrivals[target]!.push(
					drawArrival(
						rng,
						scenario,
						nextRequestId++,
						Math.max(nextArrivalTime, engines[target]!.time),
					),
				);
			}

			nextArrivalTime += rng.exponential(scenario.peakRate);
		}

		engines = engines.map((engine, index) => {
			if (!serving) {
				return {...engine, time: Math.max(engine.time, sliceEnd)};
			}

			return advanceEngine(
				engine,
				config,
				arrivals[index]!,
				sliceEnd,
				events.perEngine[index]!,
			);
		});
		time = sliceEnd;
	}

	return {
		...state,
		time,
		rng: rng.state,
		nextArrivalTime,
		nextRequestId,
		generation,
		sleepLevel,
		engines,
	};
}

/**
Moves every clock in the state forward by `seconds` without simulating them, as if the server had been paused. Used
when nobody scraped for a long time, so that catching up stays cheap.
*/
export function shiftTime(state: ClusterState, seconds: number): ClusterState {
	const shiftRequest = <T extends EngineState['running'][number]>(
		request: T,
	): T => ({
		...request,
		arrival: {...request.arrival, time: request.arrival.time + seconds},
		firstScheduledTime:
			request.firstScheduledTime === undefined
				? undefined
				: request.firstScheduledTime + seconds,
		firstTokenTime:
			request.firstTokenTime === undefined
				? undefined
				: request.firstTokenTime + seconds,
	});
	return {
		...state,
		time: state.time + seconds,
		nextArrivalTime: state.nextArrivalTime + seconds,
		engines: state.engines.map(engine => ({
			...engine,
			time: engine.time + seconds,
			running: engine.running.map(request => shiftRequest(request)),
			waiting: engine.waiting.map(request => shiftRequest(request)),
		})),
	};
}

/** Changes the number of data-parallel engines: extra engines are dropped with their requests, new ones start idle. */
export function resizeEngines(
	state: ClusterState,
	scenario: Scenario,
	engines: number,
): ClusterState {
	if (engines === state.engines.length) {
		return state;
	}

	const config = engineConfigOf(scenario);
	const next = state.engines.slice(0, engines);
	for (let index = next.length; index < engines; index++) {
		next.push(
			initialEngineState(
				config,
				deriveSeed(state.seed, 5000 + index),
				state.time,
			),
		);
	}

	return {...state, engines: next};
}

/** Where an HTTP request goes: the engine with the fewest requests, as vLLM's data-parallel balancer does. */
export function leastLoadedEngine(state: ClusterState): number {
	let target = 0;
	for (let index = 1; index < state.engines.length; index++) {
		const load = (engine: EngineState) =>
			engine.running.length + engine.waiting.length;
		if (load(state.engines[index]!) < load(state.engines[target]!)) {
			target = index;
		}
	}

	return target;
}

/** Hands a request from the API server to an engine; the id comes from the cluster's own sequence. */
export function injectRequest(
	state: ClusterState,
	engine: number,
	arrival: Omit<Arrival, 'id'>,
): {state: ClusterState; id: number} {
	const id = state.nextRequestId;
	const engines = [...state.engines];
	engines[engine] = enqueueRequest(engines[engine]!, {...arrival, id});
	return {state: {...state, engines, nextRequestId: id + 1}, id};
}

/** Drops a request whose client went away; it counts as aborted on its engine. */
export function cancelClusterRequest(
	state: ClusterState,
	id: number,
	events: ClusterEvents,
): ClusterState {
	const engines = state.engines.map((engine, index) =>
		cancelRequest(engine, id, events.perEngine[index]!),
	);
	return {...state, engines};
}

/** The least-loaded engine; with `skew`, engine 0 for nine requests in ten and the least-loaded other for the tenth. */
function routeArrival(
	load: readonly number[],
	skew: boolean,
	requestId: number,
): number {
	if (skew && load.length > 1 && requestId % 10 !== 0) {
		return 0;
	}

	let target = skew && load.length > 1 ? 1 : 0;
	for (let index = target + 1; index < load.length; index++) {
		if (load[index]! < load[target]!) {
			target = index;
		}
	}

	return target;
}
