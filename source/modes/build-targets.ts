/**
Turns URL arguments into validated targets, so a typo is one line at start-up rather than a failing scrape.
*/
import {normalizeTargetUrl} from '../scrape/target-url.js';
import type {TargetSpec} from '../session/target-spec.js';

export type BuiltTargets =
	| {readonly ok: true; readonly targets: TargetSpec[]}
	| {readonly ok: false; readonly error: string};

export function buildTargets(inputs: readonly string[]): BuiltTargets {
	const targets: TargetSpec[] = [];
	for (const input of inputs) {
		const normalized = normalizeTargetUrl(input);
		if (!normalized.ok) {
			return {ok: false, error: normalized.error};
		}

		targets.push({
			name: normalized.url,
			url: normalized.url,
			base: normalized.base,
		});
	}

	return {ok: true, targets};
}
