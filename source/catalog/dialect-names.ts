/**
How another server's metric names read as the vLLM names the catalog knows. Ray Serve LLM keeps vLLM's names under
its own prefix; SGLang's names come from each signal's `elsewhere`, standing in for the name that signal reads
first (a counter for a counter, a gauge for the gauge older vLLM servers had instead).
*/
import type {SignalDef, SignalKind} from './signal-def.js';
import {serverDialects} from './server-dialects.js';

const vllmPrefix = serverDialects.vllm.prefixes[0];

/** `ray_vllm:x` and `ray_vllm_x` are `vllm:x`; null for a name of neither prefix. */
export function vllmNameOfRay(name: string): string | null {
	for (const prefix of serverDialects.ray_vllm.prefixes) {
		if (name.startsWith(prefix)) {
			return `${vllmPrefix}${name.slice(prefix.length)}`;
		}
	}

	return null;
}

/** SGLang metric name -> the vLLM name it stands in for, from the catalog's `elsewhere`. */
export function sglangNames(
	catalog: readonly SignalDef[],
): ReadonlyMap<string, string> {
	const names = new Map<string, string>();
	for (const signal of catalog) {
		const theirs = signal.elsewhere?.sglang;
		for (const name of typeof theirs === 'string' ? [theirs] : (theirs ?? [])) {
			const ours = standIn(signal.kind, name, catalog);
			if (ours !== undefined) {
				names.set(name, ours);
			}
		}
	}

	return names;
}

function standIn(
	kind: SignalKind,
	name: string,
	catalog: readonly SignalDef[],
): string | undefined {
	const counter = name.endsWith('_total');
	switch (kind.type) {
		case 'gauge':
		case 'quantiles': {
			return kind.names[0];
		}

		case 'rate': {
			return counter ? kind.counter : kind.gaugeBefore;
		}

		case 'ratio': {
			return counter ? undefined : (kind.gaugeBefore ?? kind.stated);
		}

		case 'total': {
			const of = catalog.find(signal => signal.key === kind.of)?.kind;
			return of?.type === 'breakdown' && counter ? of.name : undefined;
		}

		case 'breakdown':
		case 'part':
		case 'volume':
		case 'custom': {
			return undefined;
		}
	}
}

const sampleSuffixes = ['_bucket', '_sum', '_count', '_created'] as const;

/**
A sample's name under a name table of families: `x_bucket` follows `x`, and a counter's `x_created` follows
`x_total`. Null for a name the table does not know.
*/
export function renamedSample(
	name: string,
	names: ReadonlyMap<string, string>,
): string | null {
	const exact = names.get(name);
	if (exact !== undefined) {
		return exact;
	}

	for (const suffix of sampleSuffixes) {
		if (!name.endsWith(suffix)) {
			continue;
		}

		const base = name.slice(0, -suffix.length);
		const family = names.get(base);
		if (family !== undefined) {
			return `${family}${suffix}`;
		}

		const counter = names.get(`${base}_total`);
		if (suffix === '_created' && counter?.endsWith('_total')) {
			return `${counter.slice(0, -'_total'.length)}_created`;
		}
	}

	return null;
}
