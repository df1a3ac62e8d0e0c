/**
Every cumulative sample name whose past values derive must remember: the counters and histograms the signals read,
and the ones capacity reads besides.
*/
import {signalCatalog, type SignalCatalog} from './signals.js';
import type {SignalKind} from './signal-def.js';
import {vllmMetric} from './vllm-metrics.js';

function histogramSeries(base: string): readonly string[] {
	return [`${base}_bucket`, `${base}_sum`, `${base}_count`];
}

const known = new WeakMap<SignalCatalog, ReadonlySet<string>>();

/** Computed once per catalog. */
export function cumulativeNamesOf(catalog: SignalCatalog): ReadonlySet<string> {
	let names = known.get(catalog);
	if (names === undefined) {
		names = namesOf(catalog);
		known.set(catalog, names);
	}

	return names;
}

function namesOf(catalog: SignalCatalog): ReadonlySet<string> {
	const names = catalog.flatMap(({kind}) => countersOf(kind));
	return new Set([
		...names,
		// Capacity: tokens and finished requests over the window, tokens per request since start.
		vllmMetric.promptTokens,
		vllmMetric.generationTokens,
		vllmMetric.requestSuccess,
		...[
			vllmMetric.promptTokensHistogram,
			vllmMetric.generationTokensHistogram,
		].flatMap(base => [`${base}_sum`, `${base}_count`]),
	]);
}

export const cumulativeSampleNames = cumulativeNamesOf(signalCatalog);

function countersOf(kind: SignalKind): readonly string[] {
	switch (kind.type) {
		case 'rate': {
			return [kind.counter];
		}

		case 'ratio': {
			return kind.pairs.flatMap(pair => [pair.numerator, pair.denominator]);
		}

		case 'breakdown': {
			return kind.of === 'gauge'
				? []
				: kind.of === 'ratio'
					? [kind.name, kind.denominator]
					: [kind.name];
		}

		case 'volume': {
			return kind.names;
		}

		case 'quantiles': {
			return kind.names.flatMap(base => histogramSeries(base));
		}

		case 'gauge':
		case 'total':
		case 'part':
		case 'custom': {
			return [];
		}
	}
}
