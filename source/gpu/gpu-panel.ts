/**
What the GPU panel knows about one GPU source (`nvidia-smi` on this host, or one DCGM page): the last readings, a
bounded busy-ness history per GPU for the sparklines, and a one-line notice when the last poll went wrong. Pure: each
poll's outcome makes a new value, and a failed poll keeps what was last known.
*/
import {busyFraction, type GpuReading} from './gpu-reading.js';

export type GpuOutcome =
	| {readonly ok: true; readonly gpus: readonly GpuReading[]}
	| {readonly ok: false; readonly error: string};

export type GpuPanel = {
	/** `nvidia-smi`, or the DCGM page's URL. */
	readonly source: string;
	/** Epoch ms of the last poll that answered with readings. */
	readonly at: number | null;
	readonly gpus: readonly GpuReading[];
	/** SM active (or utilization) per GPU, oldest first, keyed by `gpuKey`. */
	readonly busy: Readonly<Record<string, ReadonlyArray<number | null>>>;
	/** One line: why the last poll gave nothing, or null. */
	readonly notice: string | null;
};

export const gpuHistoryCapacity = 120;

/** Stable across polls: host and index. */
export function gpuKey(gpu: GpuReading): string {
	return `${gpu.host ?? ''}/${gpu.index}`;
}

export function emptyGpuPanel(source: string): GpuPanel {
	return {source, at: null, gpus: [], busy: {}, notice: null};
}

export function nextGpuPanel(
	panel: GpuPanel,
	outcome: GpuOutcome,
	at: number,
): GpuPanel {
	if (!outcome.ok) {
		return {...panel, notice: outcome.error};
	}

	if (outcome.gpus.length === 0) {
		return {
			...panel,
			notice: `${panel.source} lists no GPUs`,
		};
	}

	const busy: Record<string, ReadonlyArray<number | null>> = {};
	for (const gpu of outcome.gpus) {
		const key = gpuKey(gpu);
		busy[key] = [...(panel.busy[key] ?? []), busyFraction(gpu)].slice(
			-gpuHistoryCapacity,
		);
	}

	return {...panel, at, gpus: outcome.gpus, busy, notice: null};
}

/** What the GPU rules judge: the readings while the last poll answered, null while it fails (so they keep state). */
export function gpusToJudge(panel: GpuPanel): readonly GpuReading[] | null {
	return panel.notice === null && panel.at !== null ? panel.gpus : null;
}

/** The panels by target index, with `panel` at each of `indices` (a source may describe several targets). */
export function placePanel(
	current: ReadonlyArray<GpuPanel | undefined> | undefined,
	indices: readonly number[],
	panel: GpuPanel,
	length: number,
): Array<GpuPanel | undefined> {
	const next = current ? [...current] : Array.from({length}, () => undefined);
	for (const index of indices) {
		next[index] = panel;
	}

	return next;
}
