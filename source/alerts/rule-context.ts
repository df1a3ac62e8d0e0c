/**
What every rule sees: the input, the settings, and what the evaluation worked out once for all rules.
*/
import type {AlertConfig} from './alert-config.js';
import type {Severity} from './alert.js';
import type {AlertInput, RecentSignals} from './alert-input.js';

export type RuleContext = {
	readonly input: AlertInput;
	readonly config: AlertConfig;
	/** Recent history ending with this scrape. */
	readonly history: RecentSignals;
	/** Total running slots: `--max-num-seqs` x engines, or the learned plateau. */
	readonly maxRunning: {
		readonly value: number;
		readonly learned: boolean;
	} | null;
	readonly lastRestartAt: number | null;
};

/** fire: over the fire threshold. hold: between clear and fire (keeps an active alert, starts nothing). */
export type Verdict =
	| {
			readonly kind: 'fire' | 'hold';
			readonly message: string;
			readonly hint: string;
			/** Overrides the rule's severity for this scrape. */
			readonly severity?: Severity;
	  }
	| {readonly kind: 'clear'}
	/** The data to judge is not there (scrape failed, /health not asked): the rule keeps its state. */
	| {readonly kind: 'unknown'};

export type Level = 'fire' | 'hold' | 'clear';

export function levelAbove(value: number, fire: number, clear: number): Level {
	if (value > fire) {
		return 'fire';
	}

	return value > clear ? 'hold' : 'clear';
}

export function levelBelow(value: number, fire: number, clear: number): Level {
	if (value < fire) {
		return 'fire';
	}

	return value < clear ? 'hold' : 'clear';
}

export function verdict(
	level: Level,
	message: string,
	hint: string,
	severity?: Severity,
): Verdict {
	if (level === 'clear') {
		return {kind: 'clear'};
	}

	return severity === undefined
		? {kind: level, message, hint}
		: {kind: level, message, hint, severity};
}
