/**
`vllm-top [URL ...]` and its variants: one source (live servers, `--demo`, `--prometheus` or `--replay`) shown by one
output (`--once`, plain lines or NDJSON, or the full-screen view). Everything here is choosing; the work is in the
sources, the outputs and the pipeline stages.
*/
import type {AlertConfig} from '../alerts/alert-config.js';
import type {CliOptions} from '../config/cli-options.js';
import {collectTargets} from './collect-targets.js';
import {loadAlertConfig} from './load-alert-config.js';
import {liveSource} from './live-source.js';
import type {ModeIo} from './mode-io.js';
import type {Source} from './source.js';

export async function runMonitorCommand(
	options: CliOptions,
	io: ModeIo,
): Promise<number> {
	const alertConfig = await loadAlertConfig(options);
	if (!alertConfig.ok) {
		io.stderr.write(`vllm-top: ${alertConfig.error}\n`);
		return 2;
	}

	const source = await openSource(options, alertConfig.config, io);
	if (typeof source === 'string') {
		io.stderr.write(`vllm-top: ${source}\n`);
		return 2;
	}

	// Closing twice is closing once: a signal closes the source at once, so no output waits for a socket to quit.
	let closing: Promise<void> | undefined;
	const close = async () => {
		closing ??= source.close();
		return closing;
	};

	const closeOnSignal = () => {
		void close();
	};

	io.signal.addEventListener('abort', closeOnSignal, {once: true});
	try {
		return await runOutput(options, source, io);
	} finally {
		io.signal.removeEventListener('abort', closeOnSignal);
		await close();
	}
}

/** Each source but live scraping loads only when asked for. */
async function openSource(
	options: CliOptions,
	alertConfig: AlertConfig,
	io: ModeIo,
): Promise<Source | string> {
	if (options.replay !== undefined) {
		const {replaySource} = await import('./replay-source.js');
		return replaySource(options, alertConfig, io);
	}

	if (options.demo) {
		const {demoSource} = await import('./demo-source.js');
		return demoSource(options, alertConfig);
	}

	if (options.prometheus !== undefined) {
		const {prometheusSource} = await import('./prometheus-source.js');
		return prometheusSource(options, alertConfig, io);
	}

	const targets = await collectTargets(options);
	return targets.ok
		? liveSource(options, alertConfig, targets.targets)
		: targets.error;
}

async function runOutput(
	options: CliOptions,
	source: Source,
	io: ModeIo,
): Promise<number> {
	if (options.once) {
		const {runOnce} = await import('./run-once.js');
		return runOnce(options, source, io);
	}

	if (options.output === 'tui' && io.stdout.isTTY === true) {
		const {runScreen} = await import('./run-screen.js');
		return runScreen(options, source, io);
	}

	const {runLines} = await import('./run-lines.js');
	return runLines(options, source, io);
}
