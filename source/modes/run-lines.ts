/**
Plain lines or NDJSON from any source: one line per target each time its view changes, until the stop signal, the
reader going away, or the end of a replay.
*/
import type {CliOptions} from '../config/cli-options.js';
import type {ModeIo} from './mode-io.js';
import {panelOf} from './gpu-report.js';
import {createNoticeLog} from './notice-log.js';
import {reportLine} from './report-line.js';
import type {Source} from './source.js';

export async function runLines(
	options: CliOptions,
	source: Source,
	io: ModeIo,
): Promise<number> {
	const {session} = source;
	// A reader that went away (`| head`) ends the run quietly instead of an EPIPE crash.
	const closed = new AbortController();
	io.stdout.once('error', () => {
		closed.abort();
	});
	// Lines of the scrapes that finish together go out in one write: a fleet of 1,000 would otherwise make 1,000
	// system calls a round.
	let pending = '';
	let flushing: NodeJS.Immediate | undefined;
	const flush = () => {
		flushing = undefined;
		if (pending !== '') {
			io.stdout.write(pending);
			pending = '';
		}
	};

	const stopUpdates = session.onUpdate((index, view) => {
		const state = session.store.get();
		pending += `${reportLine(
			view,
			options.output,
			state.windowSeconds,
			panelOf(state, index),
		)}\n`;
		flushing ??= setImmediate(flush);
	});
	// Status messages (a recording error, Prometheus finding nothing, a GPU tool failing) go to stderr, once each.
	let said: string | null = null;
	const gpuNotices = createNoticeLog();
	const unsubscribe = session.store.subscribe(() => {
		const state = session.store.get();
		const {message} = state;
		if (message !== said) {
			said = message;
			if (message !== null) {
				io.stderr.write(`vllm-top: ${message}\n`);
			}
		}

		for (const notice of gpuNotices.fresh(state.gpus)) {
			io.stderr.write(`vllm-top: ${notice}\n`);
		}
	});
	session.start();
	await Promise.race([
		waitForAbort(AbortSignal.any([io.signal, closed.signal])),
		...(source.player ? [source.player.ended] : []),
	]);
	unsubscribe();
	stopUpdates();
	session.stop();
	clearImmediate(flushing);
	flush();
	return 0;
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
