/**
How far apart data-parallel engines are on each gauge: the lowest and highest engine. A mean hides one engine at
95 % KV beside another at 10 %; the spread shows it, and the alerts judge the highest.
*/
import type {SignalCatalog} from '../catalog/signals.js';
import type {EngineSpread, Observation} from './snapshot.js';

/** Null with fewer than two engines: one engine has no spread. */
export function engineSpread(
	perEngine: Observation['per_engine'],
	catalog: SignalCatalog,
): Readonly<Record<string, EngineSpread>> | null {
	if (perEngine.length < 2) {
		return null;
	}

	const spread: Record<string, EngineSpread> = {};
	for (const {key, kind} of catalog) {
		if (kind.type !== 'gauge') {
			continue;
		}

		let low: EngineSpread | null = null;
		for (const {engine, signals} of perEngine) {
			const value = (signals as Readonly<Record<string, unknown>>)[key];
			if (typeof value === 'number') {
				low = widened(low, engine, value);
			}
		}

		if (low !== null) {
			spread[key] = low;
		}
	}

	return spread;
}

function widened(
	spread: EngineSpread | null,
	engine: string,
	value: number,
): EngineSpread {
	if (spread === null) {
		return {min: value, max: value, min_engine: engine, max_engine: engine};
	}

	const lower = value < spread.min;
	const higher = value > spread.max;
	return {
		min: lower ? value : spread.min,
		max: higher ? value : spread.max,
		min_engine: lower ? engine : spread.min_engine,
		max_engine: higher ? engine : spread.max_engine,
	};
}
