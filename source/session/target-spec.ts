/**
One server to watch, as the sources hand it to a session: from URL arguments, a targets file or the demo's simulator.
*/
export type TargetSpec = {
	readonly name: string;
	/** The /metrics URL. */
	readonly url: string;
	/** Origin plus path prefix, for /health, /version and the profiler. */
	readonly base: string;
	/** This target's own API key (targets file); otherwise the client's. */
	readonly apiKey?: string;
	/** This target's `--max-num-seqs` (targets file); otherwise the alert config's. */
	readonly maxNumSeqs?: number;
	/** This target's DCGM exporter page (targets file); otherwise `--gpu-url`. */
	readonly gpuUrl?: string;
};
