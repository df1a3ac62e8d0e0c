/**
One line a watching mode prints per target update when it draws nothing: the NDJSON snapshot for `--json`, the
plain status line otherwise, with the server's strings made printable (JSON escapes them itself).
*/
import type {Output} from '../config/cli-options.js';
import type {GpuPanel} from '../gpu/gpu-panel.js';
import {formatPlainLine} from '../format/plain-line.js';
import {printable} from '../format/printable.js';
import type {TargetView} from '../store/target-view.js';
import {withGpuField, withGpuText} from './gpu-report.js';
import {reportSnapshot} from './report-snapshot.js';

export function reportLine(
	view: TargetView,
	output: Output,
	windowSeconds: number,
	gpu?: GpuPanel,
): string {
	return output === 'json'
		? JSON.stringify(withGpuField(reportSnapshot(view, windowSeconds), gpu))
		: printable(withGpuText(formatPlainLine(view), gpu));
}
