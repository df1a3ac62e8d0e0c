/**
`vllm-top [URL ...]` and its variants: `--once`, `--demo`, `--replay`, and the three ways of showing a live run
(full-screen, plain lines, NDJSON). Everything here is wiring; the work is in the pipeline stages.
*/
import {setTimeout as sleep} from 'node:timers/promises';
import type {AlertConfig} from '../config/alert-config.js';
import type {CliOptions} from '../config/cli-options.js';
import {exitCodeFor, type ExitCode} from '../format/exit-code.js';
import {formatOnceReport} from '../format/once-report.js';
import {formatPlainLine} from '../format/plain-line.js';
import {
	createScrapeClient,
	type ScrapeClient,
} from '../scrape/scrape-client.js';
import type {MonitorActions} from '../store/monitor-state.js';
import {buildTargets} from './build-targets.js';
import {loadAlertConfig} from './load-alert-config.js';
import type {ModeIo} from './mode-io.js';
import {
	createMonitorSession,
	type MonitorSession,
	type TargetSpec,
} from './monitor-session.js';
import {reportSnapshot} from './report-snapshot.js';

export async function runMonitorCommand(
	options: CliOptions,
	io: ModeIo,
): Promise<number> {
	const alertConfig = await loadAlertConfig(options);
	if (!alertConfig.ok) {
		io.stderr.write(`vllm-top: ${alertConfig.error}\n`);
		return 2;
	}

	if (options.demo) {
		return runDemo(options, alertConfig.config, io);
	}

	const built = buildTargets(options.inputs);
	if (!built.ok) {
		io.stderr.write(`vllm-top: ${built.error}\n`);
		return 2;
	}

	return watchTargets(options, alertConfig.config, built.targets, io);
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

		return await watchTargets(options, alertConfig, built.targets, io);
	} finally {
		await simulator.stop();
	}
}

function createClient(options: CliOptions): ScrapeClient {
	return createScrapeClient({
		timeoutMs: options.timeoutMs,
		maxBytes: options.maxBytes,
		apiKey: options.apiKey,
		headers: options.headers,
		insecure: options.insecure,
	});
}

async function watchTargets(
	options: CliOptions,
	alertConfig: AlertConfig,
	targets: readonly TargetSpec[],
	io: ModeIo,
): Promise<number> {
	const client = createClient(options);
	try {
		if (options.once) {
			return await runOnce(options, alertConfig, targets, client, io);
		}

		const useTui = options.output === 'tui' && io.stdout.isTTY === true;
		return useTui
			? await runFullScreen(options, alertConfig, targets, client, io)
			: await runLines(options, alertConfig, targets, client, io);
	} finally {
		await client.close();
	}
}

async function runOnce(
	options: CliOptions,
	alertConfig: AlertConfig,
	targets: readonly TargetSpec[],
	client: ScrapeClient,
	io: ModeIo,
): Promise<number> {
	const session = createMonitorSession({
		targets,
		client,
		intervalMs: options.intervalMs,
		windowSeconds: options.windowSeconds,
		alertConfig,
		format: options.format,
	});
	// Two scrapes: rates and latency percentiles need an increase between them.
	await session.scrapeAllOnce();
	try {
		await sleep(options.intervalMs, undefined, {signal: io.signal});
	} catch {
		return 3;
	}

	await session.scrapeAllOnce({instant: true});
	const {targets: views, windowSeconds} = session.store.get();
	const snapshots = views.map(view => reportSnapshot(view, windowSeconds));
	const codes = snapshots.map(snapshot => exitCodeFor(snapshot.status));
	const worst = codes.reduce<ExitCode>((a, b) => worse(a, b), 0);
	if (options.output === 'json') {
		const document =
			snapshots.length === 1
				? snapshots[0]
				: {schema: 1, status: fleetStatus(worst), targets: snapshots};
		io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
	} else {
		const reports = snapshots.map(snapshot =>
			formatOnceReport(snapshot, {color: options.color, ascii: options.ascii}),
		);
		io.stdout.write(`${reports.join('\n\n')}\n`);
	}

	return worst;
}

function worse(a: ExitCode, b: ExitCode): ExitCode {
	return b > a ? b : a;
}

function fleetStatus(code: ExitCode): 'ok' | 'warn' | 'crit' | 'down' {
	return (['ok', 'warn', 'crit', 'down'] as const)[code];
}

async function runLines(
	options: CliOptions,
	alertConfig: AlertConfig,
	targets: readonly TargetSpec[],
	client: ScrapeClient,
	io: ModeIo,
): Promise<number> {
	const session: MonitorSession = createMonitorSession({
		targets,
		client,
		intervalMs: options.intervalMs,
		windowSeconds: options.windowSeconds,
		alertConfig,
		format: options.format,
		onUpdate(_index, view) {
			const line =
				options.output === 'json'
					? JSON.stringify(
							reportSnapshot(view, session.store.get().windowSeconds),
						)
					: formatPlainLine(view);
			io.stdout.write(`${line}\n`);
		},
	});
	session.start();
	await waitForAbort(io.signal);
	session.stop();
	return 0;
}

async function runFullScreen(
	options: CliOptions,
	alertConfig: AlertConfig,
	targets: readonly TargetSpec[],
	client: ScrapeClient,
	io: ModeIo,
): Promise<number> {
	const {createProfilerDriver} = await import('../profiler/profiler-driver.js');
	// Late-bound: the session reports restarts to the profiler, which is created after it.
	const restarts: {notify?: () => void} = {};
	const session = createMonitorSession({
		targets,
		client,
		intervalMs: options.intervalMs,
		windowSeconds: options.windowSeconds,
		alertConfig,
		format: options.format,
		readOnly: options.readOnly,
		onUpdate(_index, view) {
			if (view.snapshot?.restarted) {
				restarts.notify?.();
			}
		},
	});
	const profiler =
		options.readOnly || targets[0] === undefined
			? undefined
			: createProfilerDriver({
					client,
					baseUrl: targets[0].base,
					durationMs: options.profileDurationMs,
					onChange(profilerView) {
						session.store.update(state => ({...state, profiler: profilerView}));
					},
				});
	restarts.notify = () => profiler?.serverRestarted();
	if (profiler) {
		session.store.update(state => ({...state, profiler: profiler.view()}));
	}

	const {runTui} = await import('../ui/run-tui.js');
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
	};
	const tui = runTui({
		store: session.store,
		actions,
		ascii: options.ascii,
		color: options.color,
	});
	view.unmount = tui.unmount;
	session.start();
	const onAbort = () => {
		end();
	};

	io.signal.addEventListener('abort', onAbort, {once: true});
	try {
		await tui.done;
		return 0;
	} catch (error) {
		io.stderr.write(
			`vllm-top: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		return 1;
	} finally {
		io.signal.removeEventListener('abort', onAbort);
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
