import type {BenchResult} from './bench-result.js';
import type {ServerWindow} from './server-window.js';

/** Client and server side by side: what users felt beside why. Pure text. */
export type Comparison = {
	readonly client: {
		readonly ttftP50Ms: number;
		readonly ttftP99Ms: number;
		readonly completed: number;
		readonly inputTokens: number;
		readonly outputTokens: number;
		readonly peakConcurrency: number;
	};
	readonly server: ServerWindow;
};

export function comparisonOf(
	result: BenchResult,
	server: ServerWindow,
): Comparison {
	return {
		client: {
			ttftP50Ms: Number(result['median_ttft_ms']),
			ttftP99Ms: Number(result['p99_ttft_ms'] ?? Number.NaN),
			completed: result.completed,
			inputTokens: result.total_input_tokens,
			outputTokens: result.total_output_tokens,
			peakConcurrency: Number(result['max_concurrent_requests']),
		},
		server,
	};
}

function cell(value: number | undefined, digits = 0, suffix = ''): string {
	return value === undefined || Number.isNaN(value)
		? '-'
		: `${value.toFixed(digits)}${suffix}`;
}

export function comparisonText(comparison: Comparison): string {
	const {client, server} = comparison;
	const row = (label: string, left: string, right: string) =>
		`${label.padEnd(30)} ${left.padStart(12)} ${right.padStart(12)}`;
	const lines = [
		'---------------- Client vs server ----------------',
		row('', 'client', 'server'),
		row('Completed requests', String(client.completed), cell(server.finished)),
		row('Input tokens', String(client.inputTokens), cell(server.promptTokens)),
		row(
			'Output tokens',
			String(client.outputTokens),
			cell(server.generationTokens),
		),
		row('TTFT p50 (ms)', cell(client.ttftP50Ms, 1), cell(server.ttftP50Ms, 1)),
		row('TTFT p99 (ms)', cell(client.ttftP99Ms, 1), cell(server.ttftP99Ms, 1)),
		row(
			'Queue share of TTFT',
			'',
			cell(
				server.queueShareOfTtft === undefined
					? undefined
					: server.queueShareOfTtft * 100,
				0,
				'%',
			),
		),
		row(
			'KV cache peak',
			'',
			cell(
				server.kvPeak === undefined ? undefined : server.kvPeak * 100,
				0,
				'%',
			),
		),
		row('Preemptions', '', cell(server.preemptions)),
		row(
			'Concurrency reached / ceiling',
			String(client.peakConcurrency),
			cell(server.concurrencyCeiling),
		),
		'==================================================',
	];
	return lines.join('\n') + '\n';
}
