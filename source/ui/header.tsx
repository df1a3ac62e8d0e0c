import {
	badgeAt,
	badgeOf,
	badgeTone,
	dataAgeMs,
	staleAfterMs,
} from '../format/badge.js';
import {serverText} from '../format/server-text.js';
import {formatClock, formatDuration, missing} from '../format/units.js';
import type {MonitorState} from '../store/monitor-state.js';
import type {TargetView} from '../store/target-view.js';
import {useDisplay} from './display-context.js';
import {useClock} from './hooks/use-clock.js';
import {Line, type Segment} from './line.js';
import {Lines} from './lines.js';

export type HeaderProps = {
	/** The target on screen; undefined when there is none to show. */
	readonly target: TargetView | undefined;
	readonly state: MonitorState;
	readonly width: number;
	/** 1 packs name, badge, version and age into one row; 2 adds models, engines and the interval. */
	readonly rows: number;
	/** Epoch ms the frame is drawn at; a ticking clock in context moves it on each second. */
	readonly now: number;
};

const separator: Segment = {text: ' · ', tone: 'dim'};

function ageSince(now: number, at: number | null | undefined): string {
	if (at === null || at === undefined || Number.isNaN(at)) {
		return missing;
	}

	// Whole seconds: the clock ticks once a second.
	const seconds = Math.max(0, Math.round((now - at) / 1000));
	return seconds === 0 ? '0s' : formatDuration(seconds * 1000);
}

function modelsText(models: readonly string[]): string {
	if (models.length === 0) {
		return missing;
	}

	return models.length === 1
		? models[0]!
		: `${models[0]!} +${models.length - 1}`;
}

/** Who, what and how healthy: the badge comes first so it reads at a glance. */
const defaultTimeoutMs = 3000;

/** dim while fresh, warn once a scrape is late, crit past the STALE limit. */
function ageTone(
	target: TargetView | undefined,
	state: MonitorState,
	now: number,
): Segment['tone'] {
	const age = target ? dataAgeMs(target, now) : null;
	const timeout = state.timeoutMs ?? defaultTimeoutMs;
	if (age === null || state.paused || isReplay(state)) {
		return 'dim';
	}

	if (age > staleAfterMs(state.intervalMs, timeout)) {
		return 'crit';
	}

	return age > state.intervalMs + timeout ? 'warn' : 'dim';
}

/** `replay 00:40 / 02:10`, and PAUSED; the length reads `--:--` until the file has been read through for it. */
function replayPosition(state: MonitorState): Segment[] {
	const {replay, replayAt} = state;
	if (!replay) {
		return [];
	}

	const {startAt, endAt, paused} = replay;
	const since = (at: number | null | undefined) =>
		startAt === null || at === null || at === undefined
			? '--:--'
			: formatClock(at - startAt);
	const segments: Segment[] = [
		{text: `replay ${since(replayAt)} / ${since(endAt)}`},
	];
	if (paused) {
		segments.push({text: ' '}, {text: 'PAUSED', tone: 'warn', bold: true});
	}

	return segments;
}

function isReplay(state: MonitorState): boolean {
	return state.replayAt !== null && state.replayAt !== undefined;
}

/** Who, what and how healthy: the badge comes first so it reads at a glance. The ages tick each second. */
export function Header({
	target,
	state,
	width,
	rows,
	now: frameNow,
}: HeaderProps) {
	const {ascii} = useDisplay();
	const now = useClock(frameNow);
	if (rows <= 0) {
		return null;
	}

	// Live and not paused, data older than the STALE limit says so even before a scrape has failed.
	const badge = target
		? state.paused || isReplay(state)
			? badgeOf(target)
			: badgeAt(
					target,
					now,
					staleAfterMs(state.intervalMs, state.timeoutMs ?? defaultTimeoutMs),
				)
		: 'STARTING';
	const snapshot = target?.snapshot ?? null;
	const server = snapshot?.server ?? null;
	const startedAt = server?.started_at ? Date.parse(server.started_at) : null;
	const version = serverText(server);
	const scrape = target?.lastScrape ?? null;
	const scraped: Segment[] = scrape
		? [
				{
					text: `scraped ${ageSince(now, scrape.at)} ago in ${formatDuration(scrape.durationMs)}`,
					tone: ageTone(target, state, now),
				},
			]
		: [{text: 'no scrape yet', tone: 'dim'}];
	if ((target?.phase === 'stale' || badge === 'STALE') && snapshot) {
		scraped.push({
			text: ` (data ${ageSince(now, Date.parse(snapshot.at))} old)`,
			tone: 'warn',
		});
	}

	const first: Segment[] = [
		{text: `[${badge}]`, tone: badgeTone(badge), bold: true},
		{text: ' '},
		{text: target?.name ?? 'no target', bold: true},
	];
	if (state.targets.length > 1) {
		first.push({
			text: ` (${state.selected + 1}/${state.targets.length})`,
			tone: 'dim',
		});
	}

	if (state.paused) {
		first.push({text: ' '}, {text: 'PAUSED', tone: 'warn', bold: true});
	}

	const {profiler} = state;
	if (profiler?.phase === 'running' && profiler.startedAt !== null) {
		first.push(
			{text: ' '},
			{
				text: `${ascii ? '*' : '●'} PROFILING ${formatClock(now - profiler.startedAt)}`,
				tone: 'crit',
				bold: true,
			},
		);
	} else if (
		profiler?.phase === 'stopping' &&
		profiler.stoppingSince !== null
	) {
		first.push(
			{text: ' '},
			{
				text: `writing trace${ascii ? '...' : '…'} ${formatClock(now - profiler.stoppingSince)}`,
				tone: 'warn',
				bold: true,
			},
		);
	}

	const uptime: Segment = {
		// A start time ahead of this clock (a skewed or simulated server clock) has no meaningful uptime.
		text: `up ${startedAt === null || Number.isNaN(startedAt) || startedAt > now ? missing : formatDuration(now - startedAt)}`,
	};
	const engines = server?.engines.length ?? 0;
	if (rows === 1) {
		first.push(
			...(state.replay ? [separator, ...replayPosition(state)] : []),
			separator,
			{text: version},
			separator,
			uptime,
			separator,
			...scraped,
		);
		return <Line segments={first} width={width} />;
	}

	// A replay goes at the recording's pace, not at an interval: it says where it stands instead.
	first.push(
		separator,
		{text: version},
		separator,
		...(state.replay
			? replayPosition(state)
			: [
					{
						text: `every ${formatDuration(state.intervalMs)}`,
						tone: 'dim' as const,
					},
				]),
	);
	// Short facts first: the model name is long and gets cut on narrow terminals.
	const second: Segment[] = [
		uptime,
		separator,
		...scraped,
		separator,
		{
			text: `${engines === 0 ? missing : engines} engine${engines === 1 ? '' : 's'}`,
		},
		separator,
		{text: modelsText(server?.models ?? [])},
	];
	return <Lines rows={[first, second]} width={width} />;
}
