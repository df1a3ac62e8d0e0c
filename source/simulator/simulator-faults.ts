import type {Prng} from './prng.js';
import {type Scenario, serverPhaseAt, sleepLevelAt} from './scenarios.js';

/**
What goes wrong, and when: the scenario's restart cycle, sleep windows and flaky faults, for scrapes and for
generation requests alike. Pure draws from the simulator's seeded generator.
*/

export type MetricsFault = 'drop' | 'error' | 'hang' | undefined;

/** A `flaky` scrape: dropped, 500 or held past a scrape deadline. */
export function metricsFault(scenario: Scenario, rng: Prng): MetricsFault {
	const {flaky} = scenario;
	if (!flaky) {
		return undefined;
	}

	const draw = rng.next();
	if (draw < flaky.dropProbability) {
		return 'drop';
	}

	if (draw < flaky.dropProbability + flaky.errorProbability) {
		return 'error';
	}

	return draw <
		flaky.dropProbability + flaky.errorProbability + flaky.hangProbability
		? 'hang'
		: undefined;
}

export type ApiFault =
	| {
			readonly kind: 'refuse';
			readonly status: 429 | 503;
			readonly message: string;
	  }
	| {readonly kind: 'drop'; readonly afterTokens: number};

/**
Why a generation request fails, if it does: the engine is dead or asleep (503), or, under `flaky`, the server is
overloaded (429), unavailable (503) or drops the connection part way through the answer. The flaky request faults
use the scenario's scrape fault rates, so one knob sets how bad the server is.
*/
export function apiFault(
	scenario: Scenario,
	simTime: number,
	rng: Prng,
): ApiFault | undefined {
	if (serverPhaseAt(scenario, simTime) !== 'up') {
		return {kind: 'refuse', status: 503, message: 'The engine is dead'};
	}

	if (sleepLevelAt(scenario, simTime) !== 0) {
		return {kind: 'refuse', status: 503, message: 'The engine is sleeping'};
	}

	const {flaky} = scenario;
	if (!flaky) {
		return undefined;
	}

	const draw = rng.next();
	const half = flaky.errorProbability / 2;
	if (draw < half) {
		return {
			kind: 'refuse',
			status: 429,
			message: 'Too many requests: the server is over its limit',
		};
	}

	if (draw < 2 * half) {
		return {
			kind: 'refuse',
			status: 503,
			message: 'Service unavailable: the engine is overloaded',
		};
	}

	return draw < 2 * half + flaky.dropProbability
		? {kind: 'drop', afterTokens: Math.floor(rng.next() * 20)}
		: undefined;
}

/** When the restart cycle next changes phase, in sim seconds from `now`. */
export function nextRestartBoundary(scenario: Scenario, now: number): number {
	const plan = scenario.restart;
	if (!plan) {
		return Number.POSITIVE_INFINITY;
	}

	const cycle = now % plan.everySeconds;
	const boundaries = [
		plan.deadSeconds,
		plan.deadSeconds + plan.downSeconds,
		plan.everySeconds,
	];
	const next =
		boundaries.find(boundary => boundary > cycle) ?? plan.everySeconds;
	return next - cycle;
}
