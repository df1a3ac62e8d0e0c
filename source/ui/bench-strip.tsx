import type {BenchStripState} from '../bench/bench-strip-state.js';
import {Lines} from './lines.js';
import type {Segment} from './styled-row.js';

export type BenchStripProps = {
	readonly state: BenchStripState;
	readonly width: number;
	/** @default false */
	readonly isAscii?: boolean;
};

function ms(value: number | undefined): string {
	return value === undefined ? '-' : `${value.toFixed(0)}ms`;
}

function rate(value: number): string {
	return value === Number.POSITIVE_INFINITY ? 'inf' : value.toFixed(1);
}

function bar(
	done: number,
	total: number | undefined,
	fraction: number | undefined,
	cells: number,
	ascii: boolean,
): string {
	const share =
		total === undefined ? (fraction ?? 0) : done / Math.max(1, total);
	const filled = Math.round(Math.min(1, Math.max(0, share)) * cells);
	return ascii
		? `[${'#'.repeat(filled)}${'.'.repeat(cells - filled)}]`
		: `${'█'.repeat(filled)}${'░'.repeat(cells - filled)}`;
}

/** The load generator's progress above the monitor: progress bar, rates, in flight, client latency, errors. */
export function BenchStrip({state, width, isAscii = false}: BenchStripProps) {
	const {stats} = state;
	const total = stats.total === undefined ? '' : `/${stats.total}`;
	const durationShare =
		stats.etaS === undefined || stats.total !== undefined
			? undefined
			: stats.elapsedS / Math.max(1e-9, stats.elapsedS + stats.etaS);
	const eta = stats.etaS === undefined ? '' : `  eta ${stats.etaS.toFixed(0)}s`;
	const first: Segment[] = [
		{text: 'bench ', bold: true},
		{
			text: bar(stats.done, stats.total, durationShare, 20, isAscii),
			tone: 'ok',
		},
		{
			text: ` ${stats.done}${total}  ${stats.elapsedS.toFixed(0)}s${eta}  ${state.model}`,
		},
	];
	const second: Segment[] = [
		{
			text: `rate ${rate(stats.offeredRate)} offered ${rate(stats.achievedRate)} achieved  in flight ${stats.inFlight}  `,
		},
		{
			text: `TTFT p50 ${ms(stats.ttftP50Ms)} p99 ${ms(stats.ttftP99Ms)}  TPOT p50 ${ms(stats.tpotP50Ms)} p99 ${ms(stats.tpotP99Ms)}`,
		},
	];
	const third: Segment[] = state.finished
		? [{text: 'run finished: q shows the report', tone: 'ok', bold: true}]
		: stats.failed > 0
			? [
					{
						text: `errors ${stats.failed}: ${stats.lastError ?? ''}`,
						tone: 'crit',
					},
				]
			: [
					{
						text: 'errors 0   Ctrl-C stops sending and reports what finished',
						tone: 'dim',
					},
				];
	return <Lines rows={[first, second, third]} width={width} />;
}
