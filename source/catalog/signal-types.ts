/**
What the rest of the program knows about signals, read off the catalog: the `Signals` type of `--json`, the null
defaults, the history series and the PromQL panel ids. Adding an entry to `signalCatalog` adds it to each of them.
*/
import {
	type SignalDef,
	type SignalKind,
	type Stat,
	topics,
} from './signal-def.js';
import type {Breakdown, Lora, Quantiles, SleepState} from './signal-values.js';
import {signalCatalog, type SignalCatalog} from './signals.js';

type Entry = (typeof signalCatalog)[number];

type CustomValue = {
	readonly lora: Lora;
	readonly sleepState: SleepState;
};

/** The value a kind of signal holds when it is known. */
export type ValueOf<Kind extends SignalKind> = Kind extends {
	readonly type: 'quantiles';
}
	? Quantiles
	: Kind extends {readonly type: 'breakdown'}
		? Breakdown
		: Kind extends {readonly derivation: infer Name extends keyof CustomValue}
			? CustomValue[Name]
			: number;

/** One slice's signals, keyed as in `--json`; every value may be null (not on the page, or not measurable yet). */
export type Signals = {
	readonly [Signal in Entry as Signal['key']]: ValueOf<Signal['kind']> | null;
};

export type SignalKey = Entry['key'];

type KeysOfType<Type extends SignalKind['type']> = Extract<
	Entry,
	{readonly kind: {readonly type: Type}}
>['key'];

export type QuantileKey = KeysOfType<'quantiles'>;
export type BreakdownKey = KeysOfType<'breakdown'>;
/** Signals whose value is one number. */
export type NumberKey = KeysOfType<'gauge' | 'rate' | 'ratio' | 'total'>;

/** The series kept for sparklines, one point per scrape, oldest first. */
export type SeriesId = Extract<
	Entry,
	{readonly history: unknown}
>['history']['id'];

export const quantileStats: readonly Stat[] = [
	'p50',
	'p90',
	'p95',
	'p99',
	'mean',
];

/** A Prometheus panel: one per number signal, one per quantile of a quantiles signal. */
export type SignalPanelId = NumberKey | `${QuantileKey}.${Stat}`;
/** A panel answered per value of one more label. */
export type KeyedPanelId = BreakdownKey;

/** Signals of a target nothing is known about: every field null, so it prints as `--`, never as 0. */
export function nullSignalsOf(catalog: SignalCatalog): Signals {
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a null for every key of the catalog is what `Signals` describes
	return Object.fromEntries(
		catalog.map(signal => [signal.key, null]),
	) as unknown as Signals;
}

export const nullSignals: Signals = nullSignalsOf(signalCatalog);

/** Every history series, in catalog order. */
export const seriesIds: readonly SeriesId[] = signalCatalog.flatMap(signal =>
	'history' in signal ? [signal.history.id] : [],
);

/** A signal's value by key, for code that walks the catalog; undefined for a key the catalog lacks. */
export function signalValue(signals: Signals, key: string): unknown {
	return Object.hasOwn(signals, key)
		? (Object.getOwnPropertyDescriptor(signals, key)?.value as unknown)
		: undefined;
}

/** The quantiles of a quantiles signal, null when missing. */
export function quantilesOf(signals: Signals, key: string): Quantiles | null {
	const value = signalValue(signals, key);
	return typeof value === 'object' && value !== null && 'p95' in value
		? (value as Quantiles) // eslint-disable-line @typescript-eslint/no-unsafe-type-assertion -- only quantiles signals hold an object with p95
		: null;
}

/** One number of a signal: its value, or one statistic of a quantiles value; null when missing. */
export function signalNumber(
	signals: Signals,
	key: string,
	stat?: Stat,
): number | null {
	if (stat !== undefined) {
		return quantilesOf(signals, key)?.[stat] ?? null;
	}

	const value = signalValue(signals, key);
	return typeof value === 'number' ? value : null;
}

/** Speculative decoding drafted tokens in the window (or since start): engine steps then emit several tokens. */
export function specDecodeRunning(signals: Signals): boolean {
	return (
		signalNumber(signals, 'spec_decode_acceptance_rate') !== null ||
		signalNumber(signals, 'spec_decode_mean_acceptance_length') !== null
	);
}

/**
Whether a signal shows, and under which name, given whether speculative decoding runs: `text` is one of its labels,
in which the signal's own label is replaced by its spec-decode label. Null when the signal shows only with spec
decode and it does not run.
*/
export function specDecodeText(
	signal: SignalDef,
	text: string,
	running: boolean,
): string | null {
	const {specDecode} = signal;
	if (specDecode === undefined) {
		return text;
	}

	if (!running) {
		return specDecode.only === true ? null : text;
	}

	return specDecode.label === undefined
		? text
		: text.replace(signal.label, specDecode.label);
}

/** The signals in text-output order: topic by topic, catalog order within a topic. */
export function inTopicOrder<Signal extends SignalDef>(
	catalog: readonly Signal[],
): readonly Signal[] {
	return catalog
		.map((signal, index) => ({signal, index}))
		.toSorted(
			(a, b) =>
				topics.indexOf(a.signal.topic) - topics.indexOf(b.signal.topic) ||
				a.index - b.index,
		)
		.map(({signal}) => signal);
}
