/** What the client saw of one request. Times in seconds; `startTime` counts from the start of the run. */
export type RequestOutcome = {
	readonly ok: boolean;
	/** Why it failed: HTTP status, disconnect, timeout or an error in the stream; '' when it succeeded. */
	readonly error: string;
	readonly startTime: number;
	readonly ttft: number;
	readonly itl: readonly number[];
	readonly latency: number;
	readonly promptTokens: number;
	readonly outputTokens: number;
	/** Where the prompt length came from: the server's usage, or the workload when usage had none. */
	readonly promptTokensFrom: 'usage' | 'workload';
};
