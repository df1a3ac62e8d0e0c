/**
One PromQL query per panel for every instance at once: the cost of a refresh grows with the number of panels, not
the number of servers. V1 names first, V0 names after `or`, so a mixed fleet fills the same columns.
*/

export type PanelId =
	| 'running'
	| 'waiting'
	| 'swapped'
	| 'kv'
	| 'promptRate'
	| 'generationRate'
	| 'requestRate'
	| 'preemptionRate'
	| 'ttftP50'
	| 'ttftP95'
	| 'ttftP99'
	| 'ttftMean'
	| 'itlP50'
	| 'itlP95'
	| 'itlP99'
	| 'itlMean'
	| 'models';

export const panelIds: readonly PanelId[] = [
	'running',
	'waiting',
	'swapped',
	'kv',
	'promptRate',
	'generationRate',
	'requestRate',
	'preemptionRate',
	'ttftP50',
	'ttftP95',
	'ttftP99',
	'ttftMean',
	'itlP50',
	'itlP95',
	'itlP99',
	'itlMean',
	'models',
];

export type PanelOptions = {
	/** A label matcher such as `{job="vllm"}`, or empty. */
	readonly match: string;
	/** The label that tells servers apart. */
	readonly by: string;
	/** Window of `rate()` for throughputs, e.g. `1m`. */
	readonly rateWindow: string;
	/** Window of the latency quantiles, e.g. `5m`. */
	readonly latencyWindow: string;
};

/** `{job="vllm"}` -> `job="vllm"`: the matchers to put inside each metric's braces. */
export function matcherBody(match: string): string {
	const trimmed = match.trim();
	return trimmed.startsWith('{') && trimmed.endsWith('}')
		? trimmed.slice(1, -1).trim()
		: trimmed;
}

/** A label matcher set Prometheus will accept, or a one-line reason; checked before any query is sent. */
export function checkMatch(match: string): string | null {
	const body = matcherBody(match);
	if (body === '') {
		return null;
	}

	const matcher = /^\s*[A-Z_a-z]\w*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*$/v;
	const parts = body.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/v);
	return parts.every(part => part.trim() === '' || matcher.test(part))
		? null
		: `invalid --match '${match}': give label matchers like '{job="vllm"}' or '{cluster="a",job=~"vllm.*"}'`;
}

export function panelQueries(options: PanelOptions): Record<PanelId, string> {
	const body = matcherBody(options.match);
	const s = (metric: string) => `${metric}{${body}}`;
	const {by, rateWindow: r, latencyWindow: l} = options;
	const sumBy = (metric: string) => `sum by (${by}) (${s(metric)})`;
	const rate = (metric: string) => `sum by (${by}) (rate(${s(metric)}[${r}]))`;
	const quantile = (q: number, histograms: readonly string[]) =>
		histograms
			.map(
				name =>
					`histogram_quantile(${q}, sum by (${by}, le) (rate(${s(`${name}_bucket`)}[${l}])))`,
			)
			.join(' or ');
	const mean = (histograms: readonly string[]) =>
		histograms
			.map(
				name =>
					`sum by (${by}) (rate(${s(`${name}_sum`)}[${l}])) / sum by (${by}) (rate(${s(`${name}_count`)}[${l}]))`,
			)
			.join(' or ');
	const ttft = ['vllm:time_to_first_token_seconds'];
	const itl = [
		'vllm:inter_token_latency_seconds',
		'vllm:time_per_output_token_seconds',
	];
	return {
		running: sumBy('vllm:num_requests_running'),
		waiting: sumBy('vllm:num_requests_waiting'),
		swapped: sumBy('vllm:num_requests_swapped'),
		kv: `avg by (${by}) (${s('vllm:kv_cache_usage_perc')}) or avg by (${by}) (${s('vllm:gpu_cache_usage_perc')})`,
		promptRate: rate('vllm:prompt_tokens_total'),
		generationRate: rate('vllm:generation_tokens_total'),
		requestRate: rate('vllm:request_success_total'),
		preemptionRate: rate('vllm:num_preemptions_total'),
		ttftP50: quantile(0.5, ttft),
		ttftP95: quantile(0.95, ttft),
		ttftP99: quantile(0.99, ttft),
		ttftMean: mean(ttft),
		itlP50: quantile(0.5, itl),
		itlP95: quantile(0.95, itl),
		itlP99: quantile(0.99, itl),
		itlMean: mean(itl),
		// Discovery too: every instance that exposes vLLM's running gauge, with its models.
		models: `count by (${by}, model_name) (${s('vllm:num_requests_running')})`,
	};
}
