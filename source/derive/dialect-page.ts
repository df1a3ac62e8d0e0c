/**
Which server wrote a page, and the page as vLLM's names say it, so every later stage reads one vocabulary. A vLLM
page passes through untouched; a Ray Serve LLM page loses its prefix and Ray's labels (replicas stay apart as
engines); an SGLang page has its metrics that stand in for vLLM's renamed, and its `dp_rank` read as `engine`; the
token pool it states becomes the `kv_cache_size_tokens` of a cache configuration, as vLLM states its pool.
*/
import {
	renamedSample,
	sglangNames,
	vllmNameOfRay,
} from '../catalog/dialect-names.js';
import {
	rayLabels,
	serverDialects,
	sglangLabels,
	sglangMetric,
	type DialectId,
} from '../catalog/server-dialects.js';
import {signalCatalog} from '../catalog/signals.js';
import {vllmLabel, vllmMetric} from '../catalog/vllm-metrics.js';
import type {Family, Labels, Page, Sample} from '../parse/page.js';
import {seriesKey} from './series-catalog.js';

export type DialectReading = {
	/** Null: the page has neither vLLM's nor SGLang's families. */
	readonly dialect: DialectId | null;
	readonly page: Page;
};

const sglangToVllm = sglangNames(signalCatalog);

export function dialectOf(page: Page): DialectId | null {
	const names = [...page.byName.keys()];
	const has = (prefixes: readonly string[]) =>
		names.some(name => prefixes.some(prefix => name.startsWith(prefix)));
	if (has(serverDialects.vllm.prefixes)) {
		return 'vllm';
	}

	if (has(serverDialects.ray_vllm.prefixes)) {
		return 'ray_vllm';
	}

	return has(serverDialects.sglang.prefixes) ? 'sglang' : null;
}

export function readDialect(page: Page): DialectReading {
	const dialect = dialectOf(page);
	switch (dialect) {
		case 'ray_vllm': {
			return {dialect, page: rewrite(page, vllmNameOfRay, rayRelabel(page))};
		}

		case 'sglang': {
			return {
				dialect,
				page: rewrite(page, sglangRename(page), sglangRelabel, sglangRestate),
			};
		}

		case 'vllm':
		case null: {
			return {dialect, page};
		}
	}
}

/** The new name, null to keep the sample as it is, false to leave it out. */
type Rename = (name: string) => string | null | false;
type Relabel = (labels: Labels) => Labels;
/** A renamed sample whose value says what another label or value says on vLLM's page. */
type Restate = (sample: Sample) => Sample;

/** Ray's labels out; where they tell replicas apart, the replica joins the engine: `<replica>/<engine>`. */
function rayRelabel(page: Page): Relabel {
	const replicas = new Set<string>();
	for (const sample of page.samples) {
		if (vllmNameOfRay(sample.name) !== null) {
			replicas.add(replicaOf(sample.labels));
		}
	}

	const split = replicas.size > 1;
	return labels => {
		const kept = without(labels, [rayLabels.replica, ...rayLabels.other]);
		if (!split) {
			return kept;
		}

		const engine = labels[vllmLabel.engine];
		const replica = replicaOf(labels);
		return {
			...kept,
			[vllmLabel.engine]:
				engine === undefined ? replica : `${replica}/${engine}`,
		};
	};
}

function replicaOf(labels: Labels): string {
	return labels[rayLabels.replica] ?? labels['WorkerId'] ?? '';
}

/**
SGLang's names that stand in for vLLM's. Its spec-decode gauges read 0 while spec decoding is off, so acceptance
is read only where some rank accepts drafts of some length.
*/
function sglangRename(page: Page): Rename {
	const specOn = (page.byName.get(sglangMetric.acceptLength) ?? []).some(
		sample => sample.value > 0,
	);
	return name => {
		if (!specOn && name.startsWith('sglang:spec_accept_')) {
			return false;
		}

		return name === sglangMetric.tokenPool
			? vllmMetric.cacheConfig
			: renamedSample(name, sglangToVllm);
	};
}

/** SGLang states each scheduler's token pool as a gauge, vLLM as a label of its cache configuration (`str(None)` if unset). */
function sglangRestate(sample: Sample): Sample {
	if (sample.name !== vllmMetric.cacheConfig) {
		return sample;
	}

	const pool =
		Number.isInteger(sample.value) && sample.value > 0
			? String(sample.value)
			: 'None';
	return {
		...sample,
		value: 1,
		labels: {...sample.labels, kv_cache_size_tokens: pool},
	};
}

function sglangRelabel(labels: Labels): Labels {
	const kept = without(labels, [sglangLabels.engine, ...sglangLabels.within]);
	const engine = labels[sglangLabels.engine];
	return engine === undefined ? kept : {...kept, [vllmLabel.engine]: engine};
}

function without(labels: Labels, names: readonly string[]): Labels {
	if (!names.some(name => name in labels)) {
		return labels;
	}

	return Object.fromEntries(
		Object.entries(labels).filter(([name]) => !names.includes(name)),
	);
}

/**
Renamed samples get new labels; a series that becomes the same as one before it (another tensor-parallel rank of the
same engine) is left out, as are samples `rename` maps to nothing. Other samples stay as they are.
*/
function rewrite(
	page: Page,
	rename: Rename,
	relabel: Relabel,
	restate: Restate = sample => sample,
): Page {
	const seen = new Set<string>();
	const kept = new Map<Sample, Sample>();
	const samples: Sample[] = [];
	for (const sample of page.samples) {
		const name = rename(sample.name);
		if (name === false) {
			continue;
		}

		const next =
			name === null
				? sample
				: restate({...sample, name, labels: relabel(sample.labels)});
		const key = seriesKey(next.name, next.labels);
		if (seen.has(key)) {
			continue;
		}

		seen.add(key);
		kept.set(sample, next);
		samples.push(next);
	}

	const families = new Map<string, Family>();
	for (const family of page.families.values()) {
		const renamed = rename(family.name);
		const name = typeof renamed === 'string' ? renamed : family.name;
		const familySamples = family.samples.flatMap(sample => {
			const next = kept.get(sample);
			return next === undefined ? [] : [next];
		});
		families.set(name, {...family, name, samples: familySamples});
	}

	const byName = new Map<string, Sample[]>();
	for (const sample of samples) {
		const list = byName.get(sample.name) ?? [];
		list.push(sample);
		byName.set(sample.name, list);
	}

	return {samples, families, byName};
}
