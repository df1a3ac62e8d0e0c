/**
The answers of one refresh, sorted by instance: each signal panel's value for every slice (instance total, engine,
model), each keyed panel's values by its key label for every slice, and what the instance panels say about each
server. Built in one pass over every answer, so the cost is the
series received, not instances x series.
*/
import type {LabeledValue} from '../derive/derive-signals.js';
import type {Labels} from '../parse/page.js';
import {
	engineLabel,
	modelLabel,
	panelKey,
	type InstancePanelId,
	type KeyedPanelId,
	type SignalPanelId,
} from './panel-queries.js';
import type {PromAnswer} from './prometheus-client.js';

/** What a slice of an instance is: the whole server, one data-parallel engine, or one model. */
export type Slice =
	| {readonly kind: 'total'}
	| {readonly kind: 'engine' | 'model'; readonly name: string};

export type InstanceFacts = {
	/** `engine` and `model_name` values of the running gauge. */
	readonly engines: ReadonlySet<string>;
	readonly models: ReadonlySet<string>;
	/** Label sets of the `vllm:cache_config_info` series, one per engine. */
	readonly cacheConfigs: readonly Labels[];
	/** Totals since start by series name (`vllm:request_prompt_tokens_sum`, ...). */
	readonly tokenTotals: ReadonlyMap<string, number>;
	/** Marker and deprecated families the server exposes (the engine generation, the deprecated-names alert). */
	readonly families: ReadonlySet<string>;
	/** Unix seconds the server started, when known. */
	readonly startedAt: number | null;
	/** `vllm:engine_sleep_state` levels by engine, model and `sleep_state`. */
	readonly sleepLevels: readonly LabeledValue[];
	/** The live `vllm:lora_requests_info` series, if LoRA is on. */
	readonly loraInfo: readonly LabeledValue[];
};

export type FleetReading = {
	/** Instances Prometheus knows, with what the instance panels say about them. */
	readonly instances: ReadonlyMap<string, InstanceFacts>;
	/** One panel's value for one slice; undefined when Prometheus has none. */
	value(
		panel: SignalPanelId | string,
		instance: string,
		slice: Slice,
	): number | undefined;
	/** One keyed panel's values for one slice by the panel's key label; undefined when Prometheus has none. */
	keyed(
		panel: KeyedPanelId | string,
		instance: string,
		slice: Slice,
	): Readonly<Record<string, number>> | undefined;
};

/** One panel's values for one instance, by slice. */
type SliceValues = {
	total: number | undefined;
	readonly engines: Map<string, number>;
	readonly models: Map<string, number>;
};

/** The slice an answer series stands for, from the grouping labels it kept. */
function sliceOf(labels: Labels): Slice {
	const engine = labels[engineLabel];
	if (engine !== undefined) {
		return {kind: 'engine', name: engine};
	}

	const model = labels[modelLabel];
	return model === undefined ? {kind: 'total'} : {kind: 'model', name: model};
}

type MutableFacts = {
	engines: Set<string>;
	models: Set<string>;
	cacheConfigs: Labels[];
	tokenTotals: Map<string, number>;
	families: Set<string>;
	startedAt: number | null;
	sleepLevels: LabeledValue[];
	loraInfo: LabeledValue[];
};

/** One keyed panel's values for one instance, by slice and key. */
type KeyedSliceValues = {
	readonly total: Record<string, number>;
	readonly engines: Map<string, Record<string, number>>;
	readonly models: Map<string, Record<string, number>>;
};

function readKeyed(
	answer: PromAnswer,
	by: string,
	key: string,
): Map<string, KeyedSliceValues> {
	const byInstance = new Map<string, KeyedSliceValues>();
	for (const series of answer.ok ? answer.series : []) {
		const instance = series.labels[by];
		const value = series.points.at(-1)?.[1];
		if (instance === undefined || value === undefined) {
			continue;
		}

		const slices = byInstance.get(instance) ?? {
			total: {},
			engines: new Map<string, Record<string, number>>(),
			models: new Map<string, Record<string, number>>(),
		};
		const slice = sliceOf(series.labels);
		let record = slices.total;
		if (slice.kind !== 'total') {
			const map = slice.kind === 'engine' ? slices.engines : slices.models;
			record = map.get(slice.name) ?? {};
			map.set(slice.name, record);
		}

		record[series.labels[key] ?? ''] = value;
		byInstance.set(instance, slices);
	}

	return byInstance;
}

/**
Reads every answer of a refresh. `by` is the label that tells servers apart; only instances the `servers` answer
(discovery) names are listed, the other instance panels only add to them.
*/
export function readFleet(
	signalAnswers: ReadonlyMap<SignalPanelId, PromAnswer>,
	instanceAnswers: ReadonlyMap<InstancePanelId, PromAnswer>,
	by: string,
	keyedAnswers: ReadonlyMap<KeyedPanelId, PromAnswer> = new Map(),
): FleetReading {
	// Keyed by the label values as received: no key is built per lookup.
	const values = new Map<string, Map<string, SliceValues>>();
	for (const [panel, answer] of signalAnswers) {
		const byInstance = new Map<string, SliceValues>();
		if (answer.ok) {
			for (const series of answer.series) {
				const instance = series.labels[by];
				const point = series.points.at(-1);
				if (instance === undefined || point === undefined) {
					continue;
				}

				const slices = byInstance.get(instance) ?? {
					total: undefined,
					engines: new Map<string, number>(),
					models: new Map<string, number>(),
				};
				const slice = sliceOf(series.labels);
				if (slice.kind === 'total') {
					slices.total = point[1];
				} else {
					(slice.kind === 'engine' ? slices.engines : slices.models).set(
						slice.name,
						point[1],
					);
				}

				byInstance.set(instance, slices);
			}
		}

		values.set(panel, byInstance);
	}

	const instances = new Map<string, MutableFacts>();
	const each = (
		panel: InstancePanelId,
		read: (facts: MutableFacts, labels: Labels, value: number) => void,
	) => {
		const answer = instanceAnswers.get(panel);
		if (!answer?.ok) {
			return;
		}

		for (const series of answer.series) {
			const instance = series.labels[by];
			const value = series.points.at(-1)?.[1];
			const facts =
				instance === undefined ? undefined : instances.get(instance);
			if (facts !== undefined && value !== undefined) {
				read(facts, series.labels, value);
			}
		}
	};

	const discovery = instanceAnswers.get('servers');
	for (const series of discovery?.ok ? discovery.series : []) {
		const instance = series.labels[by];
		if (instance === undefined) {
			continue;
		}

		const facts = instances.get(instance) ?? {
			engines: new Set<string>(),
			models: new Set<string>(),
			cacheConfigs: [],
			tokenTotals: new Map<string, number>(),
			families: new Set<string>(),
			startedAt: null,
			sleepLevels: [],
			loraInfo: [],
		};
		const engine = series.labels[engineLabel];
		const model = series.labels[modelLabel];
		if (engine !== undefined) {
			facts.engines.add(engine);
		}

		if (model !== undefined) {
			facts.models.add(model);
		}

		instances.set(instance, facts);
	}

	each('cacheConfig', (facts, labels) => {
		facts.cacheConfigs.push(labels);
	});
	each('tokenTotals', (facts, labels, value) => {
		const name = labels['__name__'];
		if (name !== undefined && Number.isFinite(value)) {
			facts.tokenTotals.set(name, value);
		}
	});
	each('families', (facts, labels) => {
		const name = labels['__name__'];
		if (name !== undefined) {
			facts.families.add(name);
		}
	});
	each('startedAt', (facts, _labels, value) => {
		if (Number.isFinite(value) && value > 0) {
			facts.startedAt = value;
		}
	});

	each('sleepState', (facts, labels, value) => {
		if (Number.isFinite(value)) {
			facts.sleepLevels.push({labels, value});
		}
	});
	each('lora', (facts, labels, value) => {
		if (Number.isFinite(value)) {
			facts.loraInfo.push({labels, value});
		}
	});

	const keyedValues = new Map<string, Map<string, KeyedSliceValues>>();
	for (const [panel, answer] of keyedAnswers) {
		keyedValues.set(panel, readKeyed(answer, by, panelKey[panel]));
	}

	return {
		instances,
		keyed(panel, instance, slice) {
			const slices = keyedValues.get(panel)?.get(instance);
			if (slices === undefined) {
				return undefined;
			}

			if (slice.kind === 'total') {
				return Object.keys(slices.total).length === 0
					? undefined
					: slices.total;
			}

			return (slice.kind === 'engine' ? slices.engines : slices.models).get(
				slice.name,
			);
		},
		value(panel, instance, slice) {
			const slices = values.get(panel)?.get(instance);
			if (slices === undefined) {
				return undefined;
			}

			return slice.kind === 'total'
				? slices.total
				: (slice.kind === 'engine' ? slices.engines : slices.models).get(
						slice.name,
					);
		},
	};
}
