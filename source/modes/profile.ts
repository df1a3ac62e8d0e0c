/**
`vllm-top profile [URL] --duration N`: captures one torch profiler trace from a script. Start, wait, stop (with no
client timeout: a real server can take minutes to flush), print the outcome.

Exit codes: 0 the trace was written; 1 the capture failed (the reason is on stderr); 2 bad arguments; 3 profiling is
not enabled on the server (HTTP 404), so a script can tell "turn it on" from "it broke".

Ctrl-C while capturing stops the capture early and still waits for the trace. Ctrl-C while the trace is being written
stops waiting (the server already has the stop and finishes writing by itself) and says so. Ctrl-C before the start
has answered sends one stop with a short deadline, in case the start reached the server, and quits.
*/
import {setTimeout as delay} from 'node:timers/promises';
import {
	describeProfilerFailure,
	profilerFailureOf,
	traceWritten,
} from '../profiler/describe-profiler-failure.js';
import {startTimeoutMs} from '../profiler/profiler-driver.js';
import {postProfiler} from '../profiler/profiler-post.js';
import {
	createScrapeClient,
	type ScrapeClientOptions,
} from '../scrape/scrape-client.js';
import {normalizeTargetUrl} from '../scrape/target-url.js';
import type {CliOptions} from '../config/cli-options.js';
import type {ModeIo} from './mode-io.js';

export type ProfileOptions = {
	/** The server as the user typed it (`host:port`, a base URL or the /metrics URL); the base is derived from it. */
	readonly url: string;
	readonly durationMs: number;
	/** API key, headers, TLS: as for scraping. Timeouts here are fixed (10 s to start, none to stop). */
	readonly client?: Omit<ScrapeClientOptions, 'timeoutMs'>;
};

export type ProfileIo = Pick<ModeIo, 'stdout' | 'stderr' | 'signal'>;

export const profileExitCodes = {
	ok: 0,
	failed: 1,
	usage: 2,
	notEnabled: 3,
} as const;

export async function runProfile(
	options: ProfileOptions,
	io: ProfileIo,
): Promise<number> {
	const out = (line: string) => io.stdout.write(`${line}\n`);
	const fail = (line: string, code: number = profileExitCodes.failed) => {
		io.stderr.write(`vllm-top profile: ${line}\n`);
		return code;
	};

	const target = normalizeTargetUrl(options.url);
	if (!target.ok) {
		return fail(target.error, profileExitCodes.usage);
	}

	if (!Number.isFinite(options.durationMs) || options.durationMs <= 0) {
		return fail(
			`--duration must be a positive number of seconds, got ${options.durationMs / 1000}`,
			profileExitCodes.usage,
		);
	}

	if (io.signal.aborted) {
		return fail('cancelled before the profiler was started');
	}

	const {base} = target;
	const startUrl = `${base}/start_profile`;
	const stopUrl = `${base}/stop_profile`;
	const client = createScrapeClient(options.client);
	try {
		const started = await postProfiler(client, startUrl, {
			timeoutMs: startTimeoutMs,
			signal: io.signal,
		});
		if (!started.ok && io.signal.aborted) {
			return fail(await cancelStart(client, startUrl, stopUrl));
		}

		if (!started.ok) {
			const failure = profilerFailureOf(started);
			return fail(
				describeProfilerFailure('start', startUrl, failure),
				failure.status === 404
					? profileExitCodes.notEnabled
					: profileExitCodes.failed,
			);
		}

		const startedAt = Date.now();
		out(
			`profiling ${base} for ${seconds(options.durationMs)} (Ctrl-C stops early)`,
		);
		if (!io.signal.aborted) {
			try {
				await delay(options.durationMs, undefined, {signal: io.signal});
			} catch {
				// Ctrl-C: stop early, below.
			}
		}

		const captured = Date.now() - startedAt;
		out(`writing trace… (captured ${seconds(captured)})`);
		const stopSignal = io.signal.aborted ? undefined : io.signal;
		const stopping = Date.now();
		const stopped = await postProfiler(client, stopUrl, {
			timeoutMs: null,
			...(stopSignal === undefined ? {} : {signal: stopSignal}),
		});
		if (!stopped.ok) {
			if (stopSignal?.aborted) {
				return fail(
					`stopped waiting: ${base} has the stop and is still writing the trace; look in its torch_profiler_dir for *.pt.trace.json.gz when it is done`,
				);
			}

			return fail(
				describeProfilerFailure('stop', stopUrl, profilerFailureOf(stopped)),
			);
		}

		out(`${traceWritten} (written in ${seconds(Date.now() - stopping)})`);
		return profileExitCodes.ok;
	} finally {
		await client.close();
	}
}

/** How long a Ctrl-C during the start waits for the stop it sends, so quitting stays within a second. */
const cancelStopTimeoutMs = 500;

/**
Ctrl-C while `/start_profile` has not answered: the start may have reached the server, and only a stop ends a capture,
so one stop goes out with a short deadline before giving up.
*/
async function cancelStart(
	client: ReturnType<typeof createScrapeClient>,
	startUrl: string,
	stopUrl: string,
): Promise<string> {
	const stopped = await postProfiler(client, stopUrl, {
		timeoutMs: cancelStopTimeoutMs,
	});
	return stopped.ok
		? `cancelled before ${startUrl} answered; the capture it had started is stopped`
		: `cancelled before ${startUrl} answered; ${stopUrl} did not answer within ${seconds(cancelStopTimeoutMs)} either: if the server started a capture, stop it with curl -X POST ${stopUrl}`;
}

/** The `profile` command from parsed flags: one URL, `--duration` (default 10 s), the scrape client's auth and TLS flags. */
export async function runProfileCommand(
	options: CliOptions,
	io: ModeIo,
): Promise<number> {
	if (options.inputs.length !== 1) {
		io.stderr.write(
			`vllm-top profile: give one server URL, got ${options.inputs.length}: ${options.inputs.join(' ')}\n`,
		);
		return profileExitCodes.usage;
	}

	return runProfile(
		{
			url: options.inputs[0]!,
			durationMs: options.profileDurationMs ?? 10_000,
			client: {
				maxBytes: options.maxBytes,
				...(options.apiKey === undefined ? {} : {apiKey: options.apiKey}),
				headers: options.headers,
				insecure: options.insecure,
			},
		},
		io,
	);
}

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)}s`;
}
