/**
An alert as the rest of the monitor sees it. The evaluation lives in the rules; this is the value they produce.
*/

export type Severity = 'info' | 'warn' | 'crit';

/** pending: the condition holds but not yet for its `for` duration. resolved: it fired and has cleared recently. */
export type AlertState = 'pending' | 'firing' | 'resolved';

export type Alert = {
	readonly id: string;
	readonly severity: Severity;
	readonly state: AlertState;
	/** What is wrong, with the numbers, in one line. */
	readonly message: string;
	/** What to change in `vllm serve` (or where to look), in one line. */
	readonly hint: string;
	/** Epoch ms when the condition started to hold. */
	readonly since: number;
	/** Epoch ms when a resolved alert cleared; absent while pending or firing. */
	readonly until?: number;
};
