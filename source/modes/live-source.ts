/**
Scraping servers directly: one client per distinct API key, the recording if one was asked for, and a session that
polls every target. The demo uses it too, pointed at its simulator.
*/
import {setTimeout as sleep} from 'node:timers/promises';
import type {AlertConfig} from '../alerts/alert-config.js';
import type {CliOptions} from '../config/cli-options.js';
import {openRecorder, type Recorder} from '../record/recorder.js';
import {createLazyScrapeClient} from '../scrape/lazy-scrape-client.js';
import type {ScrapeClient} from '../scrape/scrape-client.js';
import {createMonitorSession} from '../session/scrape-session.js';
import type {TargetSpec} from '../session/target-spec.js';
import {createStore} from '../store/store.js';
import {withGpuPanels} from './gpu-panels.js';
import {recordGpuPolls, recordingHooks} from './recording-hooks.js';
import type {Source} from './source.js';

export async function liveSource(
	options: CliOptions,
	alertConfig: AlertConfig,
	targets: readonly TargetSpec[],
): Promise<Source | string> {
	const clients = new Map<string, ScrapeClient>();
	const clientFor = (target: TargetSpec): ScrapeClient => {
		const apiKey = target.apiKey ?? options.apiKey;
		const key = apiKey ?? '';
		let client = clients.get(key);
		if (client === undefined) {
			client = createLazyScrapeClient({
				timeoutMs: options.timeoutMs,
				maxBytes: options.maxBytes,
				apiKey,
				headers: options.headers,
				insecure: options.insecure,
			});
			clients.set(key, client);
		}

		return client;
	};

	// What is wrong with the recording right now, if anything: the status line shows it.
	const recordingProblem = createStore<string | null>(null);
	let recorder: Recorder | undefined;
	if (options.record !== undefined) {
		const opened = await openRecorder(options.record, {
			onError(message) {
				recordingProblem.set(message);
			},
			onRecover() {
				recordingProblem.set(null);
			},
		});
		if (!opened.ok) {
			return opened.error;
		}

		recorder = opened.recorder;
	}

	const session = createMonitorSession({
		targets,
		clientFor,
		intervalMs: options.intervalMs,
		windowSeconds: options.windowSeconds,
		alertConfig,
		format: options.format,
		readOnly: options.readOnly,
		...(recorder ? recordingHooks(recorder) : {}),
	});
	const unsubscribe = recordingProblem.subscribe(() => {
		const message = recordingProblem.get();
		session.store.update(state => ({...state, message}));
	});
	const [first] = targets;
	const source: Source = {
		session,
		profiler:
			targets.length === 1 && first
				? {base: first.base, client: clientFor(first)}
				: undefined,
		async settle(signal) {
			// Two scrapes: rates and latency percentiles need an increase between them. When no server answered the
			// first, there is nothing to measure against: the report comes at once, within one --timeout.
			await session.scrapeAllOnce();
			if (signal.aborted) {
				return false;
			}

			if (session.store.get().targets.every(view => view.phase === 'down')) {
				return true;
			}

			try {
				await sleep(options.intervalMs, undefined, {signal});
			} catch {
				return false;
			}

			await session.scrapeAllOnce({instant: true});
			return !signal.aborted;
		},
		nothingToReport: () =>
			session.store.get().message ?? 'no vLLM target found',
		async close() {
			unsubscribe();
			await Promise.all(
				[...clients.values()].map(async client => client.close()),
			);
			await recorder?.close();
		},
	};
	return withGpuPanels(
		source,
		{...options, env: process.env},
		targets,
		clientFor,
		recorder ? recordGpuPolls(recorder) : undefined,
	);
}
