import {Counter, Gauge, Histogram, type Registry} from 'prom-client';
import {build125Buckets} from './vllm-buckets.js';
import type {Scenario} from './scenarios.js';

/**
One metric family of the simulated page, written as data: vLLM's name, type, HELP text, label names and buckets.
The registries read these rows, so a family is declared in exactly one place.
*/
export type FamilyRow = {
	readonly name: string;
	readonly type: 'counter' | 'gauge' | 'histogram';
	readonly help: string;
	readonly labels: readonly string[];
	/** Histograms only: the bounds, or `tokens` for vLLM's 1-2-5 series up to max_model_len. */
	readonly buckets?: readonly number[] | 'tokens';
	/** The family exists only on servers with this feature on (spec decode, LoRA, ...). */
	readonly when?: (scenario: Scenario) => boolean;
	/** The server creates the series at start-up, so a zero shows before any traffic. */
	readonly zero?: true;
};

export type FamilyTable = Readonly<Record<string, FamilyRow>>;

type LabelOf<R extends FamilyRow> = R['labels'][number];

type MetricOf<R extends FamilyRow> = R['type'] extends 'counter'
	? Counter<LabelOf<R>>
	: R['type'] extends 'gauge'
		? Gauge<LabelOf<R>>
		: Histogram<LabelOf<R>>;

/** The registered families by row key; a row with `when` may be absent. */
export type Families<T extends FamilyTable> = {
	readonly [K in keyof T]: T[K] extends {when: unknown}
		? MetricOf<T[K]> | undefined
		: MetricOf<T[K]>;
};

function register(
	row: FamilyRow,
	registry: Registry,
	scenario: Scenario,
	rename: (name: string) => string,
): Counter | Gauge | Histogram {
	const options = {
		name: rename(row.name),
		help: row.help,
		labelNames: row.labels,
		registers: [registry],
	};
	switch (row.type) {
		case 'counter': {
			return new Counter(options);
		}

		case 'gauge': {
			return new Gauge(options);
		}

		case 'histogram': {
			const buckets =
				row.buckets === 'tokens'
					? build125Buckets(scenario.maxModelLen)
					: [...(row.buckets ?? [])];
			return new Histogram({...options, buckets});
		}
	}
}

/**
Registers every row the scenario turns on, in table order (which is the order of the page), each under the name
`rename` gives it (vLLM's own by default; Ray Serve LLM's prefix for `--dialect ray`).
*/
export function registerFamilies<T extends FamilyTable>(
	table: T,
	registry: Registry,
	scenario: Scenario,
	rename: (name: string) => string = name => name,
): Families<T> {
	const families: Record<string, Counter | Gauge | Histogram | undefined> = {};
	for (const [key, row] of Object.entries(table)) {
		families[key] =
			row.when === undefined || row.when(scenario)
				? register(row, registry, scenario, rename)
				: undefined;
	}

	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- one metric per row key, of the row's type, absent only when `when` said no
	return families as Families<T>;
}

/** Creates at zero the plain series of every `zero` counter row, as a server does at start-up. */
export function zeroFamilies<T extends FamilyTable>(
	table: T,
	families: Families<T>,
	labels: Readonly<Record<string, string>>,
): void {
	for (const [key, row] of Object.entries(table)) {
		const metric = (families as Record<string, unknown>)[key];
		if (row.zero && metric instanceof Counter) {
			metric.inc(labels, 0);
		}
	}
}
