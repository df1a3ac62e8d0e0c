import {
	type BenchResult,
	type LatencyMetric,
	latencyMetrics,
	percentileWord,
} from './bench-result.js';
import type {RequestOutcome} from './request-outcome.js';

/** The facts of the run the report states beside the measurements. */
export type ReportContext = {
	readonly maxConcurrency: number | undefined;
	readonly rate: number;
	readonly percentiles: readonly number[];
	readonly goodput: boolean;
	/** Where input token counts came from, e.g. "server usage". */
	readonly inputTokensFrom: string;
};

const headers: Readonly<Record<LatencyMetric, [string, string]>> = {
	ttft: ['TTFT', 'Time to First Token'],
	tpot: ['TPOT', 'Time per Output Token (excl. 1st token)'],
	itl: ['ITL', 'Inter-token Latency'],
	e2el: ['E2EL', 'End-to-end Latency'],
};

const width = 50;

function row(label: string, value: string | number): string {
	const text = typeof value === 'number' ? value.toFixed(2) : value;
	return `${label.padEnd(40)} ${text}`;
}

function rule(title: string, fill: string): string {
	const inner = title === '' ? '' : ` ${title} `;
	const left = Math.floor((width - inner.length) / 2);
	return (
		fill.repeat(Math.max(0, left)) +
		inner +
		fill.repeat(Math.max(0, width - left - inner.length))
	);
}

function failureLines(outcomes: readonly RequestOutcome[]): string[] {
	const counts = new Map<string, number>();
	for (const outcome of outcomes) {
		if (!outcome.ok) {
			// Numbers vary per request ("after 7 chunks"): group by the reason's words.
			const reason = outcome.error.replace(
				/after \d+ chunks/,
				'after N chunks',
			);
			counts.set(reason, (counts.get(reason) ?? 0) + 1);
		}
	}

	return [...counts]
		.toSorted((a, b) => b[1] - a[1])
		.slice(0, 5)
		.map(([reason, count]) => `  ${String(count).padStart(6)} × ${reason}`);
}

/** The text block of `vllm bench serve`, with the failure reasons and a partial mark added. */
export function reportText(
	result: BenchResult,
	context: ReportContext,
	outcomes: readonly RequestOutcome[],
): string {
	const lines = [
		rule(
			result.partial
				? 'Serving Benchmark Result (partial)'
				: 'Serving Benchmark Result',
			'=',
		),
		row('Successful requests:', String(result.completed)),
		row('Failed requests:', String(result.failed)),
	];
	if (context.maxConcurrency !== undefined) {
		lines.push(
			row('Maximum request concurrency:', String(context.maxConcurrency)),
		);
	}

	if (context.rate !== Number.POSITIVE_INFINITY) {
		lines.push(row('Request rate configured (RPS):', context.rate));
	}

	const input = result.total_input_tokens / Math.max(result.duration, 1e-9);
	lines.push(
		row('Benchmark duration (s):', result.duration),
		row('Total input tokens:', String(result.total_input_tokens)),
		row('Total generated tokens:', String(result.total_output_tokens)),
		row('Request throughput (req/s):', result.request_throughput),
	);
	if (context.goodput && result.request_goodput !== null) {
		lines.push(row('Request goodput (req/s):', result.request_goodput));
	}

	lines.push(
		row('Input token throughput (tok/s):', input),
		row('Output token throughput (tok/s):', result.output_throughput),
		row('Total Token throughput (tok/s):', result.total_token_throughput),
		row('Peak concurrent requests:', String(result['max_concurrent_requests'])),
		row('Input token counts from:', context.inputTokensFrom),
	);
	for (const metric of latencyMetrics) {
		const [short, title] = headers[metric];
		lines.push(
			rule(title, '-'),
			row(`Mean ${short} (ms):`, Number(result[`mean_${metric}_ms`])),
			row(`Median ${short} (ms):`, Number(result[`median_${metric}_ms`])),
		);
		for (const p of context.percentiles) {
			const word = percentileWord(p);
			lines.push(
				row(
					`P${word.slice(1)} ${short} (ms):`,
					Number(result[`${word}_${metric}_ms`]),
				),
			);
		}
	}

	const failures = failureLines(outcomes);
	if (failures.length > 0) {
		lines.push(rule('Failed requests by reason', '-'), ...failures);
	}

	lines.push('='.repeat(width));
	return lines.join('\n') + '\n';
}
