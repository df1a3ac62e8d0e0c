import {
	type Arrival,
	advanceEngine,
	emptyEvents,
	initialEngineState,
	stepSeconds,
} from './engine-model.js';
import {engineConfigOf} from './cluster-model.js';
import type {Scenario} from './scenarios.js';

/**
The highest request rate the simulated server sustains for requests of one shape: the engine model runs a backlog
that never empties, and the completions per second in its steady state are the answer. What a load sweep against the
simulator should find.
*/
export function saturationRate(
	scenario: Scenario,
	promptTokens: number,
	outputTokens: number,
): number {
	const config = engineConfigOf(scenario);
	const warmSeconds = 10;
	const measureSeconds = 60;
	// Enough requests that the queue never empties, however fast the engine is.
	const backlog = Math.ceil(
		(config.maxNumSeqs * (warmSeconds + measureSeconds)) /
			(stepSeconds(0, 1, 0, 0) * (outputTokens + 1)),
	);
	const arrivals: Arrival[] = Array.from({length: backlog}, (_, id) => ({
		id,
		time: 0,
		promptTokens,
		outputTokens,
		maxTokensParam: outputTokens,
		generationLimit: outputTokens,
		sharedPrefixTokens: 0,
		lora: undefined,
		willError: false,
		tracked: false,
	}));
	const events = emptyEvents();
	let state = initialEngineState(config, 1, 0);
	state = advanceEngine(state, config, arrivals, warmSeconds, events);
	const before = events.finished.length;
	advanceEngine(state, config, [], warmSeconds + measureSeconds, events);
	// Over a minute, the waves in which a full batch finishes together average out.
	return (
		((events.finished.length - before) / measureSeconds) * scenario.engines
	);
}
