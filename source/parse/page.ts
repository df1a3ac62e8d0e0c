/**
The parsed form of one `/metrics` page. Later stages index it by name without rescanning the text.
*/

export type Labels = Readonly<Record<string, string>>;

export type Sample = {
	/** Sample name as on the wire, e.g. `vllm:time_to_first_token_seconds_bucket`. */
	readonly name: string;
	readonly labels: Labels;
	/** NaN, +Infinity and -Infinity are kept as such. */
	readonly value: number;
	readonly timestampMs: number | null;
};

export type MetricType =
	| 'counter'
	| 'gauge'
	| 'histogram'
	| 'gaugehistogram'
	| 'summary'
	| 'info'
	| 'stateset'
	| 'untyped'
	| 'unknown';

export type Family = {
	/** Family name from `# TYPE` (for an OpenMetrics counter, without `_total`). */
	readonly name: string;
	readonly type: MetricType;
	readonly help: string | undefined;
	readonly unit: string | undefined;
	readonly samples: readonly Sample[];
};

export type Page = {
	/** Every sample in page order. */
	readonly samples: readonly Sample[];
	/** Families by family name. Samples with no `# TYPE` line form an `untyped` family of their own name. */
	readonly families: ReadonlyMap<string, Family>;
	/** Samples by sample name (`x_bucket`, `x_count`, `x_total`, ...), in page order. */
	readonly byName: ReadonlyMap<string, readonly Sample[]>;
};

export type ExpositionFormat = 'text' | 'openmetrics';

export type ParseResult =
	| {readonly ok: true; readonly page: Page}
	| {
			readonly ok: false;
			/** One line: why Prometheus would reject the page. */
			readonly error: string;
			/** 1-based line number of the offending line. */
			readonly line: number;
	  };
