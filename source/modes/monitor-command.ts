/**
`vllm-top [URL ...]` and its variants: `--once`, `--demo`, `--replay`, `--targets`, `--prometheus`, `--record`, and
the three ways of showing a live run (full-screen, plain lines, NDJSON). Everything here is wiring; the work is in
the pipeline stages.
*/
import {readFile} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import type {AlertConfig} from '../alerts/alert-config.js';
import type {CliOptions} from '../config/cli-options.js';
import {checkMatch} from '../prometheus/panel-queries.js';
import {encodeMeta, encodeRecord} from '../record/record-line.js';
import {openRecorder, type Recorder} from '../record/recorder.js';
import {createLazyScrapeClient} from '../scrape/lazy-scrape-client.js';
import type {ScrapeClient} from '../scrape/scrape-client.js';
import type {MonitorActions} from '../store/monitor-state.js';
import type {TargetView} from '../store/target-view.js';
import {
	createOptimizerPolicy,
	scaledLoad,
} from '../runtime/optimizer-policy.js';
import {buildTargets} from './build-targets.js';
import {errorCode} from './error-code.js';
import {loadAlertConfig} from './load-alert-config.js';
import {loadTui} from './load-tui.js';
import type {ModeIo} from './mode-io.js';
import {
	createMonitorSession,
	type MonitorSession,
	type MonitorSessionOptions,
	type TargetSpec,
} from './monitor-session.js';
import {printOnceReport} from './once-output.js';
import {reportLine} from './report-line.js';
import {reportSnapshot} from './report-snapshot.js';

/** What a mode needs to make its session: the output hook differs per mode, the source of data does not. */
type SessionFactory = (hooks: {
	readonly onUpdate?: (index: number, view: TargetView) => void;
}) => MonitorSession;

type Source = {
	readonly makeSession: SessionFactory;
	/** Base URL of the server the profiler key acts on; undefined where there is none (Prometheus). */
	readonly profilerBase: string | undefined;
	/** The client POSTs to the profiler go through. */
	readonly profilerClient: ScrapeClient | undefined;
	/** Prometheus answers at once: a second scrape adds nothing to `--once`. */
	readonly needsSecondScrape: boolean;
	readonly close: () => Promise<void>;
};

export async function runMonitorCommand(
	options: CliOptions,
	io: ModeIo,
): Promise<number> {
	const alertConfig = await loadAlertConfig(options);
	if (!alertConfig.ok) {
		io.stderr.write(`vllm-top: ${alertConfig.error}\n`);
		return 2;
	}

	if (options.replay !== undefined) {
		const {runReplayCommand} = await import('./replay-command.js');
		return runReplayCommand(options, alertConfig.config, io);
	}

	if (options.demo) {
		return runDemo(options, alertConfig.config, io);
	}

	if (options.prometheus !== undefined) {
		return runWithSource(
			options,
			await prometheusSource(options, alertConfig.config, io),
			io,
		);
	}

	const targets = await collectTargets(options, options.inputs);
	if (!targets.ok) {
		io.stderr.write(`vllm-top: ${targets.error}\n`);
		return 2;
	}

	return runScraping(options, alertConfig.config, targets.targets, io);
}

async function collectTargets(
	options: CliOptions,
	inputs: readonly string[],
): Promise<{ok: true; targets: TargetSpec[]} | {ok: false; error: string}> {
	const fromFile: TargetSpec[] = [];
	if (options.targetsFile !== undefined) {
		let text: string;
		try {
			text = await readFile(options.targetsFile, 'utf8');
		} catch (error) {
			return {
				ok: false,
				error: `cannot read --targets ${options.targetsFile} (${errorCode(error)}): give a readable YAML file`,
			};
		}

		// The YAML and schema libraries load only when a targets file is given.
		const {parseTargetsFile} = await import('../fleet/targets-file.js');
		const parsed = parseTargetsFile(text, options.targetsFile);
		if (!parsed.ok) {
			return parsed;
		}

		fromFile.push(...parsed.targets);
	}

	// With a targets file, URL arguments are extra targets; the default URL only stands in when nothing is given.
	const urls =
		options.targetsFile !== undefined && options.inputs.length === 0
			? []
			: inputs;
	const built = buildTargets(urls);
	if (!built.ok) {
		return built;
	}

	return {ok: true, targets: [...fromFile, ...built.targets]};
}

async function runDemo(
	options: CliOptions,
	alertConfig: AlertConfig,
	io: ModeIo,
): Promise<number> {
	const {parseScenario} = await import('./simulate-command.js');
	const {startSimulator} = await import('../simulator/simulator-server.js');
	const scenario = parseScenario(options.scenario);
	if (!scenario.ok) {
		io.stderr.write(`vllm-top: ${scenario.error}\n`);
		return 2;
	}

	const simulator = await startSimulator({
		port: 0,
		scenario: scenario.scenario,
		seed: options.seed,
		timeScale: options.timeScale,
		legacyV0: options.legacyV0,
		engines: options.engines,
		profiler: true,
		profilerStopMs: options.profilerStopMs,
	});
	try {
		const built = buildTargets([simulator.url]);
		if (!built.ok) {
			io.stderr.write(`vllm-top: ${built.error}\n`);
			return 2;
		}

		return await runScraping(options, alertConfig, built.targets, io);
	} finally {
		await simulator.stop();
	}
}

/** Scraping targets directly: one client per distinct API key, and the recording if one was asked for. */
async function runScraping(
	options: CliOptions,
	alertConfig: AlertConfig,
	targets: readonly TargetSpec[],
	io: ModeIo,
): Promise<number> {
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

	let recorder: Recorder | undefined;
	// Late-bound: recording errors go to the status line of whichever session the mode makes.
	const status: {say?: (message: string | null) => void} = {};
	if (options.record !== undefined) {
		const opened = await openRecorder(options.record, {
			onError(message) {
				if (status.say) {
					status.say(message);
				} else {
					io.stderr.write(`vllm-top: ${message}\n`);
				}
			},
			onRecover() {
				status.say?.(null);
			},
		});
		if (!opened.ok) {
			io.stderr.write(`vllm-top: ${opened.error}\n`);
			return 2;
		}

		recorder = opened.recorder;
	}

	const base: Omit<MonitorSessionOptions, 'onUpdate'> = {
		targets,
		clientFor,
		intervalMs: options.intervalMs,
		windowSeconds: options.windowSeconds,
		alertConfig,
		format: options.format,
		readOnly: options.readOnly,
		onResult: recorder
			? (target, result) => {
					recorder.write(encodeRecord(result, target.name));
				}
			: undefined,
		onMeta: recorder
			? (target, meta, at) => {
					recorder.write(
						encodeMeta(
							{
								at,
								url: target.base,
								...(meta.version === null ? {} : {version: meta.version}),
								...(meta.healthStatus === null
									? {}
									: {healthStatus: meta.healthStatus}),
								...(meta.healthError === null
									? {}
									: {healthError: meta.healthError}),
							},
							target.name,
						),
					);
				}
			: undefined,
	};
	const first = targets[0];
	const source: Source = {
		makeSession(hooks) {
			const session = createMonitorSession({
				...base,
				...hooks,
				// Watching servers live, not `--once`: how hard V8 compiles follows how much is scraped. `--demo` also
				// simulates the server in this process, with work that grows with --time-scale.
				optimizer: options.once
					? undefined
					: scaledLoad(
							createOptimizerPolicy(),
							options.demo ? Math.max(1, options.timeScale) : 1,
						),
			});
			status.say = message => {
				session.store.update(state => ({...state, message}));
			};

			return session;
		},
		// Only a single server: a key press must never profile a server other than the one on screen.
		profilerBase: targets.length === 1 ? first?.base : undefined,
		profilerClient:
			targets.length === 1 && first ? clientFor(first) : undefined,
		needsSecondScrape: true,
		async close() {
			await Promise.all(
				[...clients.values()].map(async client => client.close()),
			);
			await recorder?.close();
		},
	};
	return runWithSource(options, source, io);
}

/** The Prometheus backend loads only in this mode. */
async function prometheusSource(
	options: CliOptions,
	alertConfig: AlertConfig,
	io: ModeIo,
): Promise<Source | string> {
	const match = options.match ?? '';
	const invalid = checkMatch(match);
	if (invalid !== null) {
		return invalid;
	}

	const [{createPrometheusClient}, {createPrometheusSession}] =
		await Promise.all([
			import('../prometheus/prometheus-client.js'),
			import('../prometheus/prometheus-session.js'),
		]);
	const client = createPrometheusClient({
		url: options.prometheus!,
		auth: options.prometheusAuth,
		timeoutMs: Math.max(options.timeoutMs, 10_000),
		insecure: options.insecure,
		headers: options.headers,
	});
	if (options.record !== undefined) {
		io.stderr.write(
			'vllm-top: --record saves raw scrapes; with --prometheus there are none, so nothing is recorded\n',
		);
	}

	return {
		makeSession: hooks =>
			createPrometheusSession({
				...hooks,
				client,
				match,
				intervalMs: options.intervalMs,
				windowSeconds: options.windowSeconds,
				alertConfig,
			}),
		profilerBase: undefined,
		profilerClient: undefined,
		needsSecondScrape: false,
		async close() {
			await client.close();
		},
	};
}

async function runWithSource(
	options: CliOptions,
	source: Source | string,
	io: ModeIo,
): Promise<number> {
	if (typeof source === 'string') {
		io.stderr.write(`vllm-top: ${source}\n`);
		return 2;
	}

	try {
		if (options.once) {
			return await runOnce(options, source, io);
		}

		const useTui = options.output === 'tui' && io.stdout.isTTY === true;
		return useTui
			? await runFullScreen(options, source, io)
			: await runLines(options, source, io);
	} finally {
		await source.close();
	}
}

async function runOnce(
	options: CliOptions,
	source: Source,
	io: ModeIo,
): Promise<number> {
	const session = source.makeSession({});
	if (source.needsSecondScrape) {
		// Two scrapes: rates and latency percentiles need an increase between them.
		await session.scrapeAllOnce();
		try {
			await sleep(options.intervalMs, undefined, {signal: io.signal});
		} catch {
			return 3;
		}
	}

	await session.scrapeAllOnce({instant: true});
	const {targets: views, windowSeconds} = session.store.get();
	if (views.length === 0) {
		io.stderr.write(
			`vllm-top: ${session.store.get().message ?? 'no vLLM target found'}\n`,
		);
		return 3;
	}

	return printOnceReport(
		views.map(view => reportSnapshot(view, windowSeconds)),
		options,
		io,
	);
}

async function runLines(
	options: CliOptions,
	source: Source,
	io: ModeIo,
): Promise<number> {
	// A reader that went away (`| head`) ends the run quietly instead of an EPIPE crash.
	const closed = new AbortController();
	io.stdout.once('error', () => {
		closed.abort();
	});
	const session: MonitorSession = source.makeSession({
		onUpdate(_index, view) {
			const line = reportLine(
				view,
				options.output,
				session.store.get().windowSeconds,
			);
			io.stdout.write(`${line}\n`);
		},
	});
	// Status messages (a recording error, Prometheus finding nothing) go to stderr, once each.
	let said: string | null = null;
	const unsubscribe = session.store.subscribe(() => {
		const {message} = session.store.get();
		if (message !== said) {
			said = message;
			if (message !== null) {
				io.stderr.write(`vllm-top: ${message}\n`);
			}
		}
	});
	session.start();
	await waitForAbort(AbortSignal.any([io.signal, closed.signal]));
	unsubscribe();
	session.stop();
	return 0;
}

async function runFullScreen(
	options: CliOptions,
	source: Source,
	io: ModeIo,
): Promise<number> {
	const {createProfilerDriver} = await import('../profiler/profiler-driver.js');
	// Late-bound: the session reports restarts to the profiler, which is created after it.
	const restarts: {notify?: () => void} = {};
	const session = source.makeSession({
		onUpdate(_index, view) {
			if (view.snapshot?.restarted) {
				restarts.notify?.();
			}
		},
	});
	const profiler =
		options.readOnly ||
		source.profilerBase === undefined ||
		source.profilerClient === undefined
			? undefined
			: createProfilerDriver({
					client: source.profilerClient,
					baseUrl: source.profilerBase,
					durationMs: options.profileDurationMs,
					onChange(profilerView) {
						session.store.update(state => ({...state, profiler: profilerView}));
					},
				});
	restarts.notify = () => profiler?.serverRestarted();
	session.store.update(state =>
		profiler
			? {...state, profiler: profiler.view()}
			: {...state, readOnly: true},
	);

	const {runTui} = await loadTui();
	// The view is created after the actions it calls, so quit reaches it through this holder.
	const view: {unmount?: () => void} = {};
	const end = () => {
		session.stop();
		view.unmount?.();
	};

	const actions: MonitorActions = {
		quit() {
			if (!profiler?.busy()) {
				end();
				return;
			}

			// A capture is on the server: stop it first (the view says so), unless the user presses q again.
			void profiler.requestQuit().then(decision => {
				if (decision === 'quit-now') {
					end();
				}
			});
		},
		togglePause() {
			session.store.update(state => ({...state, paused: !state.paused}));
		},
		setInterval(ms) {
			session.setIntervalMs(ms);
		},
		cycleWindow() {
			session.cycleWindow();
		},
		scrapeNow() {
			session.scrapeNow();
		},
		profilerKey(key) {
			profiler?.key(key);
		},
		select(index) {
			session.store.update(state => ({...state, selected: index}));
		},
	};
	const tui = runTui({
		store: session.store,
		actions,
		ascii: options.ascii,
		color: options.color,
	});
	view.unmount = tui.unmount;
	session.start();
	io.signal.addEventListener('abort', end, {once: true});
	try {
		await tui.done;
		return 0;
	} catch (error) {
		io.stderr.write(
			`vllm-top: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		return 1;
	} finally {
		io.signal.removeEventListener('abort', end);
		session.stop();
		const leftover = profiler?.leftover();
		if (leftover) {
			io.stderr.write(`vllm-top: ${leftover}\n`);
		}

		profiler?.dispose();
	}
}

async function waitForAbort(signal: AbortSignal): Promise<void> {
	if (signal.aborted) {
		return;
	}

	await new Promise<void>(resolve => {
		signal.addEventListener(
			'abort',
			() => {
				resolve();
			},
			{once: true},
		);
	});
}
