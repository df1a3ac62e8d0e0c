/**
Prints the `--once` result for one or more targets, as text or one JSON document, and returns the worst health
code, so a live check and a check of a recorded moment answer scripts the same way.
*/
import type {CliOptions} from '../config/cli-options.js';
import type {Snapshot} from '../pipeline/snapshot.js';
import {exitCodeFor, type ExitCode} from '../format/exit-code.js';
import {formatOnceReport} from '../format/once-report.js';
import {printableDeep} from '../format/printable.js';
import {gpuCell} from '../format/gpu-text.js';
import type {GpuFields} from './gpu-report.js';
import type {ModeIo} from './mode-io.js';

const fleetStatuses = ['ok', 'warn', 'crit', 'down'] as const;

function worse(a: ExitCode, b: ExitCode): ExitCode {
	return b > a ? b : a;
}

export function printOnceReport(
	snapshots: ReadonlyArray<Snapshot & GpuFields>,
	options: Pick<CliOptions, 'output' | 'color' | 'ascii'>,
	io: Pick<ModeIo, 'stdout'>,
): ExitCode {
	const worst = snapshots
		.map(snapshot => exitCodeFor(snapshot.status))
		.reduce<ExitCode>((a, b) => worse(a, b), 0);
	if (options.output === 'json') {
		const document =
			snapshots.length === 1
				? snapshots[0]
				: {schema: 1, status: fleetStatuses[worst], targets: snapshots};
		io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
	} else {
		// The server's strings (version, model names, errors) made printable; JSON above escapes them itself.
		const reports = snapshots.map(snapshot =>
			[
				formatOnceReport(printableDeep(snapshot), {
					color: options.color,
					ascii: options.ascii,
				}),
				...(snapshot.gpus ?? []).map(gpu => `GPU ${gpuCell(gpu)}`),
			].join('\n'),
		);
		io.stdout.write(`${reports.join('\n\n')}\n`);
	}

	return worst;
}
