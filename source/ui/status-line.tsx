import {formatClock, formatDuration} from '../format/units.js';
import type {MonitorState, ProfilerView} from '../store/monitor-state.js';
import type {TargetView} from '../store/target-view.js';
import type {Segment} from './line.js';
import {useDisplay} from './display-context.js';
import {useClock} from './hooks/use-clock.js';
import {Lines} from './lines.js';

export type ViewName = 'overview' | 'latency' | 'engines' | 'alerts' | 'gpus';

export type StatusLineProps = {
	readonly target: TargetView | undefined;
	readonly state: MonitorState;
	readonly view: ViewName;
	readonly width: number;
	/** Rows to use: problems (profiler, scrape error, message) first, key hints last. */
	readonly rows: number;
	readonly now: number;
};

function profilerLine(
	profiler: ProfilerView | null,
	target: TargetView | undefined,
	now: number,
): Segment[] | null {
	if (!profiler) {
		return null;
	}

	const since = (at: number | null) =>
		at === null ? '' : ` ${formatClock(now - at)}`;
	switch (profiler.phase) {
		case 'idle': {
			return null;
		}

		case 'confirm': {
			return [
				{
					text: `Start the torch profiler on ${target?.url ?? 'the server'}? `,
					tone: 'warn',
					bold: true,
				},
				{text: 'y start · n cancel', tone: 'warn'},
			];
		}

		case 'starting': {
			return [{text: 'Profiler starting', tone: 'info'}];
		}

		case 'running': {
			return [
				{
					text: `PROFILING${since(profiler.startedAt)}${profiler.detail ? `: ${profiler.detail}` : ''}`,
					tone: 'info',
					bold: true,
				},
				{text: ' · p to stop', tone: 'dim'},
			];
		}

		case 'stopping': {
			return [
				{
					text: `writing trace${since(profiler.stoppingSince)} (monitoring goes on)${profiler.detail ? `: ${profiler.detail}` : ''}`,
					tone: 'info',
				},
			];
		}

		case 'done': {
			return [
				{
					text: profiler.detail ?? 'trace written',
					tone: 'ok',
				},
			];
		}

		case 'error': {
			return [
				{
					text: `Profiler failed${profiler.detail ? `: ${profiler.detail}` : ''}`,
					tone: 'crit',
				},
			];
		}
	}
}

/** The one-line problems worth a row of their own, most urgent first. */
export function statusProblems(
	target: TargetView | undefined,
	state: MonitorState,
	now: number,
): Segment[][] {
	const problems: Segment[][] = [];
	const profiler = profilerLine(state.profiler, target, now);
	if (profiler) {
		problems.push(profiler);
	}

	const error = target?.lastScrape?.error;
	if (error && (target.phase === 'stale' || target.phase === 'down')) {
		const kept =
			target.phase === 'stale'
				? ' (showing the last good data; retrying)'
				: ' (retrying)';
		problems.push([
			{text: 'ERROR ', tone: 'crit', bold: true},
			{text: error, tone: 'crit'},
			{text: kept, tone: 'dim'},
		]);
	}

	if (state.message) {
		problems.push([{text: state.message, tone: 'info'}]);
	}

	return problems;
}

function hints(state: MonitorState, view: ViewName, ascii: boolean): Segment[] {
	const hint = (key: string, meaning: string): Segment[] => [
		{text: key, bold: true},
		{text: ` ${meaning}  `, tone: 'dim'},
	];
	return [
		...hint('q', 'quit'),
		...hint('?', 'help'),
		...hint('space', state.paused ? 'resume' : 'pause'),
		// A replay has no interval: the recording sets the pace.
		...(state.replay
			? []
			: hint('+/-', `every ${formatDuration(state.intervalMs)}`)),
		...hint('w', `window ${formatDuration(state.windowSeconds * 1000)}`),
		...hint('v', view),
		...hint(ascii ? 'enter' : '⏎', 'details'),
		...(state.readOnly ? [] : hint('p', 'profile')),
		// The last hint needs no gap after it.
		...hint('r', 'scrape').map((segment, index) =>
			index === 1 ? {...segment, text: segment.text.trimEnd()} : segment,
		),
	];
}

/** Problems, then key hints, in the rows given. */
export function StatusLine({
	target,
	state,
	view,
	width,
	rows,
	now: frameNow,
}: StatusLineProps) {
	// The profiler's mm:ss moves each second.
	const now = useClock(frameNow);
	const {ascii} = useDisplay();
	if (rows <= 0) {
		return null;
	}

	const problems = statusProblems(target, state, now);
	const lines = [
		...problems.slice(
			0,
			Math.max(0, problems.length >= rows ? rows : rows - 1),
		),
		hints(state, view, ascii),
	].slice(0, rows);
	return <Lines rows={lines} width={width} />;
}
