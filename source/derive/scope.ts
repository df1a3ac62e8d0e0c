/**
Reads one slice of a page (everything, one engine, or one model) so the same signal code serves the total and the
per-engine and per-model rows. Gauges are summed or averaged over the slice's series; counters and histograms give
their increase over a span, summed over series after the per-series reset correction (Prometheus' `sum(increase())`).
*/
import type {Labels, Page, Sample} from '../parse/page.js';
import type {CurrentSeries, Reading, Span} from './derive-memory.js';
import type {Bucket} from './histogram-quantile.js';

export type Scope = {
	readonly current: Reading;
	/** Samples of `name` in the slice with a finite value, in page order. */
	readonly samples: (name: string) => readonly Sample[];
	/** Cumulative series of `name` in the slice, in page order. */
	readonly cumulative: (name: string) => readonly CurrentSeries[];
};

/**
A slice of the page: every series, or those whose labels `includes` accepts. Signals ask for the same names several
times (presence, then value), so each name's list is filtered once per slice.
*/
export function createScope(
	page: Page,
	current: Reading,
	series: ReadonlyMap<string, readonly CurrentSeries[]>,
	includes?: (labels: Labels) => boolean,
): Scope {
	const samples = new Map<string, readonly Sample[]>();
	const cumulative = new Map<string, readonly CurrentSeries[]>();
	return {
		current,
		samples(name) {
			let found = samples.get(name);
			if (found === undefined) {
				found = (page.byName.get(name) ?? []).filter(
					sample =>
						Number.isFinite(sample.value) &&
						(includes === undefined || includes(sample.labels)),
				);
				samples.set(name, found);
			}

			return found;
		},
		cumulative(name) {
			let found = cumulative.get(name);
			if (found === undefined) {
				const all = series.get(name) ?? [];
				found =
					includes === undefined
						? all
						: all.filter(entry => includes(entry.labels));
				cumulative.set(name, found);
			}

			return found;
		},
	};
}

export function samplesIn(scope: Scope, name: string): readonly Sample[] {
	return scope.samples(name);
}

export function hasSamples(scope: Scope, name: string): boolean {
	return scope.samples(name).length > 0;
}

export function gaugeSum(scope: Scope, name: string): number | null {
	const samples = samplesIn(scope, name);
	return samples.length === 0
		? null
		: samples.reduce((total, sample) => total + sample.value, 0);
}

export function gaugeMean(
	scope: Scope,
	name: string,
	accept: (value: number) => boolean = () => true,
): number | null {
	const values = samplesIn(scope, name)
		.map(sample => sample.value)
		.filter(value => accept(value));
	return values.length === 0
		? null
		: values.reduce((total, value) => total + value, 0) / values.length;
}

/** Sum of a gauge by the value of one label; null when the gauge is absent. */
export function gaugeSumBy(
	scope: Scope,
	name: string,
	label: string,
): Readonly<Record<string, number>> | null {
	const samples = samplesIn(scope, name);
	if (samples.length === 0) {
		return null;
	}

	const result: Record<string, number> = {};
	for (const sample of samples) {
		const key = sample.labels[label] ?? '';
		result[key] = (result[key] ?? 0) + sample.value;
	}

	return result;
}

export function cumulativeSeries(
	scope: Scope,
	name: string,
): readonly CurrentSeries[] {
	return scope.cumulative(name);
}

export function hasCumulative(scope: Scope, name: string): boolean {
	return scope.cumulative(name).length > 0;
}

function seriesIncrease(scope: Scope, span: Span, index: number): number {
	const now = scope.current.corrected[index] ?? Number.NaN;
	if (Number.isNaN(now)) {
		return 0;
	}

	const then = span.from === null ? 0 : (span.from[index] ?? Number.NaN);
	return Math.max(0, now - (Number.isNaN(then) ? 0 : then));
}

/** Increase over the span, summed over the slice; null when the slice has no such series. */
export function increase(
	scope: Scope,
	name: string,
	span: Span,
): number | null {
	const series = cumulativeSeries(scope, name);
	if (series.length === 0) {
		return null;
	}

	return series.reduce(
		(total, entry) => total + seriesIncrease(scope, span, entry.index),
		0,
	);
}

/** Increase by the value of one label; null when the slice has no such series. */
export function increaseBy(
	scope: Scope,
	name: string,
	label: string,
	span: Span,
): Readonly<Record<string, number>> | null {
	const series = cumulativeSeries(scope, name);
	if (series.length === 0) {
		return null;
	}

	const result: Record<string, number> = {};
	for (const entry of series) {
		const key = entry.labels[label] ?? '';
		result[key] = (result[key] ?? 0) + seriesIncrease(scope, span, entry.index);
	}

	return result;
}

/** Bucket increases of every series in the slice; equal bounds are summed later by the quantile (coalescing). */
export function bucketIncreases(
	scope: Scope,
	base: string,
	span: Span,
): readonly Bucket[] {
	return cumulativeSeries(scope, `${base}_bucket`).map(entry => ({
		upperBound: entry.upperBound,
		count: seriesIncrease(scope, span, entry.index),
	}));
}

/** Per-second rate over the span; null without a span, without the series or over no time. */
export function rate(
	scope: Scope,
	name: string,
	span: Span | null,
): number | null {
	if (!(span?.seconds && span.seconds > 0)) {
		return null;
	}

	const value = increase(scope, name, span);
	return value === null ? null : value / span.seconds;
}

/** Current cumulative value summed over the slice (everything since the process started). */
export const sinceStart: Span = {from: null, seconds: null};
