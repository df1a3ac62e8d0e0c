/**
Gauge rules judge the worst data-parallel engine, not the server's mean or sum: one engine at 95 % KV beside one at
10 % is a full engine, whatever the average says. The message names that engine.
*/
import type {Signals} from '../derive/snapshot.js';
import type {AlertInput} from './alert-input.js';

export type Worst = {
	readonly value: number;
	/** Null on a server of one engine (or none labelled), where the value is the server's own. */
	readonly engine: string | null;
};

export function worstEngine(
	input: AlertInput,
	signals: Signals,
	read: (signals: Signals) => number | null,
): Worst | null {
	const engines = input.perEngine ?? [];
	if (engines.length < 2) {
		const value = read(signals);
		return value === null ? null : {value, engine: null};
	}

	let worst: Worst | null = null;
	for (const {engine, signals: own} of engines) {
		const value = read(own);
		if (value !== null && (worst === null || value > worst.value)) {
			worst = {value, engine};
		}
	}

	return worst;
}

/** `engine 0: ` before a message about one engine; nothing for the whole server. */
export function enginePrefix(worst: Worst): string {
	return worst.engine === null ? '' : `engine ${worst.engine}: `;
}
