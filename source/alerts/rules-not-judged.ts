/**
Rules a server cannot be judged by because it lacks the signal they read: SGLang has no swap space, no V0 CPU cache
and no sleep mode. They stay quiet, and `--once` and `--json` say which and why, so quiet is not read as healthy.
*/
import type {DialectId} from '../catalog/server-dialects.js';
import type {SignalDef} from '../catalog/signal-def.js';
import {signalCatalog} from '../catalog/signals.js';
import {ruleList} from './rules/rule-list.js';

export type NotJudged = {
	readonly id: string;
	readonly reason: string;
};

export function rulesNotJudged(
	dialect: DialectId | null | undefined,
): readonly NotJudged[] {
	if (dialect !== 'sglang') {
		return [];
	}

	return ruleList.flatMap(rule => {
		const [first] = rule.inputs;
		const signal: SignalDef | undefined = signalCatalog.find(
			entry => entry.key === first,
		);
		return signal === undefined || signal.elsewhere?.sglang !== undefined
			? []
			: [{id: rule.id, reason: `SGLang has no ${signal.label} metric`}];
	});
}
