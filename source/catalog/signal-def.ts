/**
The shape of one signal in the catalog: where its value comes from (kind and wire names, in fallback order), how it
adds up across engines and models, and how every output names, formats and places it. The catalog in `signals.ts`
is a list of these; the `Signals` type, the null defaults, the history series, the PromQL panels, the plain line and
the `--once` report are all read off it.
*/
import type {Quantiles} from './signal-values.js';

/** A ratio of two counters' increases over the window: `numerator / denominator`. */
export type CounterPair = {
	readonly numerator: string;
	readonly denominator: string;
};

/** The few signals read by code of their own, named so both the page path and the Prometheus path provide it. */
export type CustomDerivation = 'lora' | 'sleepState';

/**
Where a value comes from. Names are listed newest first: the first one the page has wins, an older one is read only
when the newer is absent.
*/
export type SignalKind =
	/** A gauge, summed or averaged (see `aggregate`) over the slice's series. */
	| {readonly type: 'gauge'; readonly names: readonly string[]}
	/** A counter's per-second rate between the last two scrapes; `gaugeBefore` is a gauge older servers had instead. */
	| {
			readonly type: 'rate';
			readonly counter: string;
			readonly gaugeBefore?: string;
	  }
	/**
	A ratio of counter increases over the window, from the first pair whose denominator the page has; else the mean of
	`gaugeBefore`, a V0 gauge that reads -1 while the feature is off (negative readings are left out). `plusOne` adds 1
	to the ratio (a mean acceptance length counts the token the target model adds to every draft). `stated` is another
	server's gauge that states the whole value (with the 1 in it), read as it is where neither of the others is there.
	*/
	| {
			readonly type: 'ratio';
			readonly pairs: readonly CounterPair[];
			readonly gaugeBefore?: string;
			readonly plusOne?: boolean;
			readonly stated?: string;
	  }
	/** p50, p90, p95, p99 and mean of a histogram's increase over the window, as Prometheus' `histogram_quantile`. */
	| {readonly type: 'quantiles'; readonly names: readonly string[]}
	/** A gauge or a counter's rate by the value of one label: `{capacity: 3, deferred: 4}`. */
	| {
			readonly type: 'breakdown';
			readonly of: 'gauge' | 'rate';
			readonly name: string;
			readonly label: string;
	  }
	/**
	A counter's increase by the value of one label over one other counter's increase, in the window (on the first
	scrape, since start): accepted draft tokens per position over drafts, `{0: 0.9, 1: 0.7, 2: 0.4}`.
	*/
	| {
			readonly type: 'breakdown';
			readonly of: 'ratio';
			readonly name: string;
			readonly label: string;
			readonly denominator: string;
	  }
	/** The sum of another signal's breakdown. */
	| {readonly type: 'total'; readonly of: string}
	/** One label value of another signal's breakdown; null where the page has no such breakdown. */
	| {readonly type: 'part'; readonly of: string; readonly value: string}
	/**
	How much a counter grew in the window (on the first scrape, since start), from the first name the page has: the
	volume behind a ratio, which ratio alerts need a minimum of.
	*/
	| {readonly type: 'volume'; readonly names: readonly string[]}
	/** Read by the named derivation from the label sets of `name`. */
	| {
			readonly type: 'custom';
			readonly derivation: CustomDerivation;
			readonly name: string;
	  };

/**
How the value of the whole server comes from its data-parallel engines and models: `sum` (requests, tokens/s),
`mean` (usage fractions), `max` (the deepest sleep of any engine), `ratio` (increases summed before dividing),
`buckets` (bucket increases summed before the quantile), `total-only` (the value has no engine or model label).
*/
export type Aggregation =
	'sum' | 'mean' | 'max' | 'ratio' | 'buckets' | 'total-only';

/** What a number measures, for the README and for anything that converts units. */
export type SignalUnit =
	| 'requests'
	| 'fraction'
	| 'tokens/s'
	| 'bytes/s'
	| 'seconds/s'
	| 'requests/s'
	| 'events/s'
	| 'tokens'
	| 'seconds'
	| 'adapters'
	| 'state';

/** Colours by meaning (a subset of the view's tones): `first` and `second` tell two series in one chart apart. */
export type SignalTone = 'first' | 'second' | 'info' | 'warn' | 'crit';

/** A number as text; every formatter prints `--` for a missing value. */
export type Formatter = (value: number | null | undefined) => string;

/**
Topics group signals in the text outputs: the plain line and the `--once` report print topic by topic in this
order, and within a topic in catalog order.
*/
export const topics = [
	'requests',
	'kv cache',
	'tokens/s',
	'latency',
	'cache',
	'scheduler',
] as const;

export type Topic = (typeof topics)[number];

/** Picks one number of a quantiles value, for outputs that show one (`p95`). */
export type Stat = Exclude<keyof Quantiles, 'bounded'>;

/** One point per scrape kept for sparklines and charts. */
export type HistorySpec = {
	/** The series id: the JSON key for a plain number, `<name>_p95` for a quantile. */
	readonly id: string;
	readonly stat?: Stat;
	readonly label: string;
	/** The label on a V0 server, where vLLM named the same thing differently. */
	readonly v0Label?: string;
	/** Overview sparkline order: lower first, rows are cut from the end. */
	readonly rank: number;
	/** Drawn in this overview chart when there is room for charts, else as a sparkline. */
	readonly chart?: 'tokens' | 'kv' | 'latency';
	/** The row in the tokens chart. */
	readonly chartLabel?: string;
	/** Shown only on servers of this generation, or once the series has had a value. */
	readonly onlyOn?: 'v0';
	/** Drawn in place of this series once it has had a value (computed prefill in place of every prompt token). */
	readonly replaces?: string;
	/** A fixed scale, for fractions. */
	readonly min?: number;
	readonly max?: number;
};

/** A column of the per-engine and per-model tables. */
export type ColumnSpec = {
	readonly header: string;
	readonly stat?: Stat;
	/** Only in terminals 80 columns or wider. */
	readonly wide?: boolean;
	/** Colour the cell by the usage thresholds of the KV-cache alert. */
	readonly usageTone?: boolean;
};

/**
How a signal shows while speculative decoding runs, when an engine step emits several tokens per request: `label`
replaces its label in the plain line, the `--once` report and the latency table; `only` shows it only then.
*/
export type SpecDecodeSpec = {
	readonly label?: string;
	readonly only?: boolean;
};

/** A `name: value` pair of the plain line. */
export type PlainSpec = {
	readonly label: string;
	readonly stat?: Stat;
	/** Overrides the signal's formatter. */
	readonly format?: Formatter;
	/** Printed after the value: `reqs`, `tok/s`. */
	readonly suffix?: string;
	/** Left out while the value is null (V0-only signals). */
	readonly optional?: boolean;
};

/** A `label value` pair in its topic's row of the `--once` report. */
export type OnceSpec = {
	readonly label: string;
	readonly stat?: Stat;
	readonly format?: Formatter;
	/** Printed after the value. */
	readonly suffix?: string;
	/** Joins this pair to the one before it with `, ` and no label of the row's own. */
	readonly continues?: boolean;
	/** Left out while the value is null (families only some servers have). */
	readonly optional?: boolean;
};

/** A row of the latency tables. */
export type LatencyRowSpec = {
	readonly name: string;
	readonly v0Name?: string;
	/** Only in the latency view, not the overview. */
	readonly detailedOnly?: boolean;
};

export type SignalDef = {
	/** The field in `--json` (`signals`, `per_engine[].signals`, `per_model[].signals`). */
	readonly key: string;
	/** What it means, in a line. */
	readonly doc: string;
	readonly kind: SignalKind;
	readonly aggregate: Aggregation;
	readonly unit: SignalUnit;
	/** Its name in prose and in views. */
	readonly label: string;
	/** Numbers only; the default is `formatNumber`. */
	readonly format?: Formatter;
	readonly tone?: SignalTone;
	readonly topic: Topic;
	readonly history?: HistorySpec;
	readonly column?: ColumnSpec;
	readonly plain?: PlainSpec;
	readonly once?: OnceSpec;
	readonly latencyRow?: LatencyRowSpec;
	readonly specDecode?: SpecDecodeSpec;
	/**
	SGLang's metric for the same thing, read in its place on an SGLang page (`--json` `server.dialect` `sglang`); a list
	where SGLang has a counter and an older gauge, which stand in for `kind`'s counter and `gaugeBefore`.
	*/
	readonly elsewhere?: {readonly sglang?: string | readonly string[]};
};
