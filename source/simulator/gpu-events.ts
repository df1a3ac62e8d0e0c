/**
What goes wrong on the simulated GPUs, by scenario, so the GPU alerts have something to fire on: under `kv-pressure`
GPU 0 overheats and throttles its clocks for part of every cycle; under `overload` it reports an XID error for part
of every cycle; under `long-prompts` attention over thousands of prompt tokens keeps the SMs busy whenever a request
runs. Pure functions of sim time.
*/
import type {ScenarioName} from './scenarios.js';

type Window = {
	readonly everySeconds: number;
	readonly fromSecond: number;
	readonly toSecond: number;
};

type GpuEvents = {
	/** GPU 0 throttles for heat (hardware thermal slowdown) in this window. */
	readonly thermal?: Window;
	/** GPU 0 reports this XID in this window. */
	readonly xid?: Window & {readonly code: number};
	/** Share of the SMs' capacity each step takes beyond what the batch size says (long-context attention). */
	readonly extraWork?: number;
};

const events: Readonly<Partial<Record<ScenarioName, GpuEvents>>> = {
	'kv-pressure': {thermal: {everySeconds: 180, fromSecond: 60, toSecond: 150}},
	overload: {xid: {everySeconds: 180, fromSecond: 90, toSecond: 120, code: 31}},
	'long-prompts': {extraWork: 0.9},
};

/** Work beyond the batch size while requests run, 0..1. */
export function extraWorkOf(scenario: ScenarioName): number {
	return events[scenario]?.extraWork ?? 0;
}

function within(window: Window | undefined, t: number): boolean {
	if (window === undefined) {
		return false;
	}

	const inCycle = t % window.everySeconds;
	return inCycle >= window.fromSecond && inCycle < window.toSecond;
}

/** Whether this GPU throttles for heat at sim time `t`. */
export function thermalAt(
	scenario: ScenarioName,
	gpu: number,
	t: number,
): boolean {
	return gpu === 0 && within(events[scenario]?.thermal, t);
}

/** The XID this GPU reports at sim time `t`, 0 for none. */
export function xidAt(scenario: ScenarioName, gpu: number, t: number): number {
	const xid = events[scenario]?.xid;
	return gpu === 0 && within(xid, t) ? (xid?.code ?? 0) : 0;
}
