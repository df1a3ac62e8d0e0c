/**
Pages in vLLM's own exposition: the names, HELP texts, types, labels and bucket bounds of `vllm/v1/metrics/loggers.py`
and `vllm/v1/spec_decode/metrics.py`, as prometheus_client prints them (counters with `_total`, histograms as
`_bucket`, `_count`, `_sum`). Tests build the shapes of real servers from these, with their own numbers.
*/
export type Labels = Readonly<Record<string, string>>;

/** `vllm:inter_token_latency_seconds` and `vllm:request_time_per_output_token_seconds` share these bounds. */
export const itlBuckets = [
	0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5,
	10, 20, 40, 80,
];

const labelText = (labels: Labels) => {
	const entries = Object.entries(labels).toSorted(([a], [b]) =>
		a < b ? -1 : 1,
	);
	return entries.length === 0
		? ''
		: `{${entries.map(([key, value]) => `${key}="${value}"`).join(',')}}`;
};

const float = (value: number) =>
	Number.isInteger(value) ? `${value}.0` : String(value);

export function counter(
	name: string,
	help: string,
	series: ReadonlyArray<readonly [Labels, number]>,
): string {
	return [
		`# HELP ${name} ${help}`,
		`# TYPE ${name} counter`,
		...series.map(
			([labels, value]) => `${name}_total${labelText(labels)} ${float(value)}`,
		),
	].join('\n');
}

export function gauge(
	name: string,
	help: string,
	series: ReadonlyArray<readonly [Labels, number]>,
): string {
	return [
		`# HELP ${name} ${help}`,
		`# TYPE ${name} gauge`,
		...series.map(
			([labels, value]) => `${name}${labelText(labels)} ${float(value)}`,
		),
	].join('\n');
}

/** One histogram series holding `count` observations of `value` each. */
export function histogram(
	name: string,
	help: string,
	labels: Labels,
	bounds: readonly number[],
	observations: {readonly value: number; readonly count: number},
): string {
	const bucket = (le: string, count: number) =>
		`${name}_bucket${labelText({...labels, le})} ${float(count)}`;
	return [
		`# HELP ${name} ${help}`,
		`# TYPE ${name} histogram`,
		...bounds.map(bound =>
			bucket(
				float(bound),
				observations.value <= bound ? observations.count : 0,
			),
		),
		bucket('+Inf', observations.count),
		`${name}_count${labelText(labels)} ${float(observations.count)}`,
		`${name}_sum${labelText(labels)} ${float(observations.value * observations.count)}`,
	].join('\n');
}

/** The families every V1 engine registers, for one engine at scrape `step` (counters grow with it). */
export function basePage(labels: Labels, step: number): string[] {
	return [
		gauge(
			'vllm:num_requests_running',
			'Number of requests in model execution batches.',
			[[labels, 8]],
		),
		gauge(
			'vllm:num_requests_waiting',
			'Number of requests waiting to be processed.',
			[[labels, 0]],
		),
		gauge(
			'vllm:kv_cache_usage_perc',
			'KV-cache usage. 1 means 100 percent usage.',
			[[labels, 0.4]],
		),
		counter(
			'vllm:generation_tokens',
			'Number of generation tokens processed.',
			[[labels, 30_000 * step]],
		),
		counter(
			'vllm:request_success',
			'Count of successfully processed requests.',
			[[{...labels, finished_reason: 'stop'}, 100 * step]],
		),
	];
}
