/**
What the report modes add for GPUs: `gpus` in a JSON document (schema unchanged: a new key), a `GPU:` field in the
plain line, and a GPU line under the `--once` text.
*/
import type {GpuPanel} from '../gpu/gpu-panel.js';
import type {GpuReading} from '../gpu/gpu-reading.js';
import {gpuSummary} from '../format/gpu-text.js';
import type {MonitorState} from '../store/monitor-state.js';

export type GpuFields = {readonly gpus?: readonly GpuReading[]};

export function panelOf(
	state: Pick<MonitorState, 'gpus'>,
	index: number,
): GpuPanel | undefined {
	return state.gpus?.[index];
}

/** The document with `gpus` when a GPU source describes this target. */
export function withGpuField<T extends object>(
	document: T,
	panel: GpuPanel | undefined,
): T & GpuFields {
	return panel === undefined ? document : {...document, gpus: panel.gpus};
}

/** The plain line with its GPU field, or as it was. */
export function withGpuText(line: string, panel: GpuPanel | undefined): string {
	return panel === undefined ? line : `${line}, GPU: ${gpuSummary(panel)}`;
}
