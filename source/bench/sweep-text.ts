import asciichart from 'asciichart';
import type {Knee, SweepStep} from './sweep.js';

function cell(value: number | undefined, digits = 1): string {
	return value === undefined || !Number.isFinite(value)
		? '-'
		: value.toFixed(digits);
}

/** The sweep's table and a chart of rate against throughput and p99 latency, the knee marked. Pure text. */
export function sweepText(
	steps: readonly SweepStep[],
	knee: Knee | undefined,
	ascii: boolean,
): string {
	const header = `${'run'.padEnd(12)} ${'rate'.padStart(8)} ${'achieved'.padStart(9)} ${'TTFT p99'.padStart(9)} ${'TPOT p99'.padStart(9)} ${'good'.padStart(6)} ${'ok'.padStart(6)} ${'failed'.padStart(6)}`;
	const rows = steps.map((step, index) => {
		const mark = index === knee?.step ? (ascii ? ' <- knee' : ' ◀ knee') : '';
		const good =
			step.goodShare === undefined
				? '-'
				: `${(step.goodShare * 100).toFixed(0)}%`;
		return `${step.label.padEnd(12)} ${cell(step.rate).padStart(8)} ${cell(step.achieved).padStart(9)} ${cell(step.ttftP99Ms, 0).padStart(9)} ${cell(step.tpotP99Ms, 0).padStart(9)} ${good.padStart(6)} ${String(step.completed).padStart(6)} ${String(step.failed).padStart(6)}${mark}`;
	});
	const rated = steps.filter(step => step.rate !== undefined);
	const lines = [
		'==================== Sweep ====================',
		header,
		...rows,
	];
	if (rated.length >= 2) {
		const plot = (series: number[]) =>
			asciichart.plot(series, {
				height: 6,
				format: (value: number) => value.toFixed(0).padStart(7),
			});
		lines.push(
			'',
			'achieved req/s by rate step (left to right: ' +
				rated.map(step => cell(step.rate)).join(', ') +
				')',
			plot(rated.map(step => step.achieved)),
			'TTFT p99 ms by rate step',
			plot(
				rated.map(step =>
					Number.isFinite(step.ttftP99Ms) ? step.ttftP99Ms : 0,
				),
			),
			'TPOT p99 ms by rate step',
			plot(
				rated.map(step =>
					Number.isFinite(step.tpotP99Ms) ? step.tpotP99Ms : 0,
				),
			),
		);
	}

	lines.push(
		knee === undefined
			? 'knee: no constant rate met the SLOs'
			: `knee: ${knee.rate.toFixed(1)} req/s sustained at the highest offered rate${steps.some(step => step.goodShare !== undefined) ? ' within the SLOs' : ''}`,
		'===============================================',
	);
	return lines.join('\n') + '\n';
}
