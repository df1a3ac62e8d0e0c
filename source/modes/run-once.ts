/**
`--once` from any source: fill the store to the moment the report describes, print it, and exit with its health code.
*/
import type {CliOptions} from '../config/cli-options.js';
import type {ModeIo} from './mode-io.js';
import {panelOf, withGpuField} from './gpu-report.js';
import {printOnceReport} from './once-output.js';
import {reportSnapshot} from './report-snapshot.js';
import type {Source} from './source.js';

export async function runOnce(
	options: CliOptions,
	source: Source,
	io: ModeIo,
): Promise<number> {
	const settled = await source.settle(io.signal);
	if (typeof settled === 'string') {
		io.stderr.write(`vllm-top: ${settled}\n`);
		return 2;
	}

	if (!settled) {
		return 3;
	}

	const state = source.session.store.get();
	const {targets: views, windowSeconds} = state;
	if (views.length === 0) {
		io.stderr.write(`vllm-top: ${source.nothingToReport()}\n`);
		return 3;
	}

	return printOnceReport(
		views.map((view, index) =>
			withGpuField(reportSnapshot(view, windowSeconds), panelOf(state, index)),
		),
		options,
		io,
	);
}
