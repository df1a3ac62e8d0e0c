/**
Input series that make a catalog signal take given values, for `promtool test rules`: a gauge is written as is, a
counter grows at the wanted rate, a ratio's two counters grow in the wanted proportion, and a histogram puts its
observations in one of two buckets whose bounds make the wanted quantile. Read off the signal's kind and wire names,
so a new signal of a known kind needs nothing here.
*/
import type {SignalDef, SignalKind} from '../catalog/signal-def.js';
import {signalCatalog} from '../catalog/signals.js';

export type InputSeries = {readonly series: string; readonly values: string};

/** A value per step; null where the series has no sample (a gauge that is gone). */
export type Steps = ReadonlyArray<number | null>;

const quantileOf: Readonly<Record<string, number>> = {
	p50: 0.5,
	p95: 0.95,
	p99: 0.99,
};

/**
Observations (or denominator events) per second, so rates stay well above rounding and a ratio's denominator grows
past the minimum volume a ratio rule asks for within its window.
*/
const eventsPerSecond = 1000;

function selector(
	name: string,
	labels: Readonly<Record<string, string>>,
): string {
	const body = Object.entries(labels)
		.map(([key, value]) => `${key}=${JSON.stringify(value)}`)
		.join(',');
	return `${name}{${body}}`;
}

function number(value: number): string {
	return String(Math.round(value * 1e9) / 1e9);
}

/** Gauge samples; a gauge that goes away gets a stale marker, as Prometheus writes when a series disappears. */
export function gaugeValues(steps: Steps): string {
	return steps
		.map((value, index) => {
			if (value !== null) {
				return number(value);
			}

			return index > 0 && steps[index - 1] !== null ? 'stale' : '_';
		})
		.join(' ');
}

/** A counter that grows by `perSecond[i] * stepSeconds` at each step. */
function counterValues(perSecond: readonly number[], stepSeconds: number) {
	let total = 0;
	return perSecond
		.map((rate, index) => {
			if (index > 0) {
				total += rate * stepSeconds;
			}

			return number(total);
		})
		.join(' ');
}

function histogramSeries(
	name: string,
	stat: string,
	steps: readonly number[],
	stepSeconds: number,
	labels: Readonly<Record<string, string>>,
): InputSeries[] {
	const q = quantileOf[stat];
	const count = steps.map(() => eventsPerSecond);
	const sum = steps.map(value => value * eventsPerSecond);
	const base = [
		{
			series: selector(`${name}_count`, labels),
			values: counterValues(count, stepSeconds),
		},
		{
			series: selector(`${name}_sum`, labels),
			values: counterValues(sum, stepSeconds),
		},
	];
	if (q === undefined) {
		return base;
	}

	// All observations of a low step fall under `low`, of a high step between `low` and `high`.
	const bottom = Math.min(...steps);
	const low = bottom / q;
	const top = Math.max(...steps);
	const high = top > low ? low + (top - low) / q : low * 2;
	const under = (bound: number) =>
		steps.map(value =>
			(value === bottom ? low : high) <= bound ? eventsPerSecond : 0,
		);
	return [
		...base,
		...[low, high].map(bound => ({
			series: selector(`${name}_bucket`, {...labels, le: number(bound)}),
			values: counterValues(under(bound), stepSeconds),
		})),
		{
			series: selector(`${name}_bucket`, {...labels, le: '+Inf'}),
			values: counterValues(count, stepSeconds),
		},
	];
}

/** A part of a rate breakdown, or a counter's growth: one counter series either way. */
function counterSeries(
	kind: Extract<SignalKind, {readonly type: 'part' | 'volume'}>,
	steps: readonly number[],
	stepSeconds: number,
	labels: Readonly<Record<string, string>>,
): InputSeries[] {
	if (kind.type === 'volume') {
		return [
			{
				series: selector(kind.names[0]!, labels),
				values: counterValues(steps, stepSeconds),
			},
		];
	}

	const of = signalCatalog.find(entry => entry.key === kind.of)?.kind;
	if (of?.type !== 'breakdown') {
		throw new Error(`a part of ${kind.of}, which is no breakdown`);
	}

	return [
		{
			series: selector(of.name, {...labels, [of.label]: kind.value}),
			values: counterValues(steps, stepSeconds),
		},
	];
}

/** A ratio's denominator at a steady pace and its numerator at the ratio of it. */
function ratioSeries(
	kind: Extract<SignalKind, {readonly type: 'ratio'}>,
	steps: readonly number[],
	stepSeconds: number,
	labels: Readonly<Record<string, string>>,
): InputSeries[] {
	const pair = kind.pairs[0]!;
	const ratios = steps.map(value =>
		kind.plusOne === true ? value - 1 : value,
	);
	return [
		{
			series: selector(pair.denominator, labels),
			values: counterValues(
				steps.map(() => eventsPerSecond),
				stepSeconds,
			),
		},
		{
			series: selector(pair.numerator, labels),
			values: counterValues(
				ratios.map(ratio => ratio * eventsPerSecond),
				stepSeconds,
			),
		},
	];
}

function kindSeries(
	signal: SignalDef,
	stat: string | undefined,
	steps: readonly number[],
	stepSeconds: number,
	labels: Readonly<Record<string, string>>,
): InputSeries[] {
	const {kind} = signal;
	switch (kind.type) {
		case 'gauge': {
			return [
				{series: selector(kind.names[0]!, labels), values: gaugeValues(steps)},
			];
		}

		case 'rate': {
			return [
				{
					series: selector(kind.counter, labels),
					values: counterValues(steps, stepSeconds),
				},
			];
		}

		case 'ratio': {
			return ratioSeries(kind, steps, stepSeconds, labels);
		}

		case 'quantiles': {
			return histogramSeries(
				kind.names[0]!,
				stat ?? 'p95',
				steps,
				stepSeconds,
				labels,
			);
		}

		case 'breakdown': {
			const sliced = {...labels, [kind.label]: 'any'};
			return [
				{
					series: selector(kind.name, sliced),
					values:
						kind.of === 'gauge'
							? gaugeValues(steps)
							: counterValues(steps, stepSeconds),
				},
			];
		}

		case 'total': {
			const of = signalCatalog.find(entry => entry.key === kind.of);
			if (of === undefined) {
				throw new Error(`the total of ${kind.of}, which is not in the catalog`);
			}

			return kindSeries(of, stat, steps, stepSeconds, labels);
		}

		case 'part':
		case 'volume': {
			return counterSeries(kind, steps, stepSeconds, labels);
		}

		case 'custom': {
			throw new Error(
				`${signal.key} is read by code of its own: no input series`,
			);
		}
	}
}

/**
What a signal a rule reads besides the one it compares takes while the rule should fire: present and positive, and
for a volume (a counter's growth, read per second here) far above any minimum volume a rule asks for.
*/
export function presentValue(signalId: string): number {
	const [key] = signalId.split('.');
	return signalCatalog.find(entry => entry.key === key)?.kind.type === 'volume'
		? 1e6
		: 1;
}

/** The input series that make the signal `key` or `key.stat` read `steps`, one value per step. */
export function signalSeries(
	signalId: string,
	steps: readonly number[],
	stepSeconds: number,
	labels: Readonly<Record<string, string>>,
): InputSeries[] {
	const [key, stat] = signalId.split('.');
	const signal = signalCatalog.find(entry => entry.key === key);
	if (signal === undefined) {
		throw new Error(`${signalId} is not in the catalog`);
	}

	return kindSeries(signal, stat, steps, stepSeconds, labels);
}

/** A counter growing by `perSecond[i]` each second of step `i`, for the rules that count a counter's growth. */
export function growingSeries(
	name: string,
	perSecond: readonly number[],
	stepSeconds: number,
	labels: Readonly<Record<string, string>>,
): InputSeries {
	return {
		series: selector(name, labels),
		values: counterValues(perSecond, stepSeconds),
	};
}

/** A plain gauge series (`up`, a family's presence) for the rules that read no signal. */
export function gaugeSeries(
	name: string,
	steps: Steps,
	labels: Readonly<Record<string, string>>,
): InputSeries {
	return {series: selector(name, labels), values: gaugeValues(steps)};
}
