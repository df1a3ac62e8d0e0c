/**
The streams and stop signal a mode runs with; tests hand in their own.
*/
export type ModeIo = {
	readonly stdin: NodeJS.ReadableStream & {readonly isTTY?: boolean};
	readonly stdout: NodeJS.WritableStream & {
		readonly isTTY?: boolean;
		readonly columns?: number;
		readonly rows?: number;
	};
	readonly stderr: NodeJS.WritableStream;
	/** Aborted on SIGINT, SIGTERM, SIGHUP and SIGQUIT. */
	readonly signal: AbortSignal;
};
