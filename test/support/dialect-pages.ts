/**
Pages of four shapes, written from the servers' own metric definitions (vLLM's `vllm/v1/metrics/loggers.py` and
`vllm/engine/metrics.py`, vLLM's Ray stat logger under Ray's metrics agent, SGLang's
`python/sglang/srt/metrics/collector.py`), each at step 0 and step 1 so counters and histograms grow between scrapes.
*/

type Series = {
	readonly name: string;
	readonly type: 'gauge' | 'counter' | 'histogram';
	readonly help: string;
	readonly samples: ReadonlyArray<{
		readonly labels: string;
		readonly value: number;
	}>;
};

/** A histogram's samples: `count` observations, all in the bucket whose bound is `at`. */
function histogram(
	name: string,
	help: string,
	labels: string,
	bounds: readonly number[],
	at: number,
	count: number,
	observed: number,
): Series {
	const join = (extra: string) =>
		labels === '' ? extra : `${labels},${extra}`;
	return {
		name,
		type: 'histogram',
		help,
		samples: [
			...[...bounds, Number.POSITIVE_INFINITY].map(bound => ({
				labels: join(
					`le="${bound === Number.POSITIVE_INFINITY ? '+Inf' : String(bound)}"`,
				),
				value: bound >= at ? count : 0,
			})),
			{labels: `${labels}|sum`, value: count * observed},
			{labels: `${labels}|count`, value: count},
		],
	};
}

function render(series: readonly Series[]): string {
	const lines: string[] = [];
	for (const {name, type, help, samples} of series) {
		lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
		for (const {labels, value} of samples) {
			const [plain = '', suffix] = labels.split('|');
			const sample =
				type === 'histogram'
					? suffix === undefined
						? `${name}_bucket`
						: `${name}_${suffix}`
					: name;
			lines.push(
				`${sample}${plain === '' ? '' : `{${plain}}`} ${String(value)}`,
			);
		}
	}

	return `${lines.join('\n')}\n`;
}

const model = 'model_name="meta-llama/Llama-3.1-8B-Instruct"';

/** vLLM V1 with two data-parallel engines: engine 0 at 95 % KV with 40 waiting, engine 1 at 10 % and idle. */
export function skewedEnginesPage(step: 0 | 1): string {
	const engine = (id: number) => `engine="${id}",${model}`;
	const gauge = (name: string, help: string, values: [number, number]) => ({
		name,
		type: 'gauge' as const,
		help,
		samples: values.map((value, id) => ({labels: engine(id), value})),
	});
	return render([
		gauge(
			'vllm:num_requests_running',
			'Number of requests in model execution batches.',
			[64, 3],
		),
		gauge(
			'vllm:num_requests_waiting',
			'Number of requests waiting to be processed.',
			[40, 0],
		),
		gauge(
			'vllm:kv_cache_usage_perc',
			'KV-cache usage. 1 means 100 percent usage.',
			[0.95, 0.1],
		),
		{
			name: 'vllm:generation_tokens_total',
			type: 'counter',
			help: 'Number of generation tokens processed.',
			samples: [0, 1].map(id => ({
				labels: engine(id),
				value: (id === 0 ? 90_000 : 10_000) * (1 + step),
			})),
		},
	]);
}

const rayLabels = (replica: string) =>
	`${model},ReplicaId="default#LLMServer:llama#${replica}",WorkerId="${replica}ffee",SessionName="session_2026_12_03",NodeAddress="10.0.0.12",Version="2.52.0",Component="core_worker"`;

/**
A V0-era vLLM engine under Ray Serve LLM: vLLM's names with `ray_vllm:` in front and Ray's labels on every series;
time per output token at 50 ms and the CPU swap space in use. `replicas` 2 gives a second replica, idle.
*/
export function rayPage(step: 0 | 1, replicas: 1 | 2 = 1): string {
	const ids = replicas === 1 ? ['a1'] : ['a1', 'b2'];
	const each = (value: (index: number) => number) =>
		ids.map((id, index) => ({labels: rayLabels(id), value: value(index)}));
	const requests = 200 * (1 + step);
	return render([
		{
			name: 'ray_vllm:num_requests_running',
			type: 'gauge',
			help: 'Number of requests currently running on GPU.',
			samples: each(index => (index === 0 ? 12 : 0)),
		},
		{
			name: 'ray_vllm:num_requests_waiting',
			type: 'gauge',
			help: 'Number of requests waiting to be processed.',
			samples: each(() => 0),
		},
		{
			name: 'ray_vllm:gpu_cache_usage_perc',
			type: 'gauge',
			help: 'GPU KV-cache usage. 1 means 100 percent usage.',
			samples: each(index => (index === 0 ? 0.97 : 0.05)),
		},
		{
			name: 'ray_vllm:cpu_cache_usage_perc',
			type: 'gauge',
			help: 'CPU KV-cache usage. 1 means 100 percent usage.',
			samples: each(index => (index === 0 ? 0.25 : 0)),
		},
		{
			name: 'ray_vllm:generation_tokens_total',
			type: 'counter',
			help: 'Number of generation tokens processed.',
			samples: each(index => (index === 0 ? 50_000 * (1 + step) : 10)),
		},
		...ids.map(id =>
			histogram(
				'ray_vllm:time_per_output_token_seconds',
				'Histogram of time per output token in seconds.',
				rayLabels(id),
				[0.01, 0.025, 0.05, 0.075, 0.1],
				id === 'a1' ? 0.05 : 0.01,
				id === 'a1' ? requests * 100 : 0,
				0.045,
			),
		),
	]);
}

/**
SGLang with two data-parallel ranks (and their tensor-parallel rank 0): 2,826 requests queued, 93 % of the token pool
used on rank 0, 40 % on rank 1, each rank's pool 400,000 tokens as the scheduler states it; spec decode accepting
2.1 tokens of a draft (3.1 with the target model's own); no process or HTTP metrics, as SGLang's page has none.
*/
export function sglangPage(step: 0 | 1): string {
	const rank = (dp: number) =>
		`${model},engine_type="unified",tp_rank="0",pp_rank="0",dp_rank="${dp}"`;
	const gauge = (name: string, help: string, values: [number, number]) => ({
		name,
		type: 'gauge' as const,
		help,
		samples: values.map((value, dp) => ({labels: rank(dp), value})),
	});
	const requests = 500 * (1 + step);
	return render([
		gauge(
			'sglang:num_running_reqs',
			'The number of running requests.',
			[48, 20],
		),
		gauge(
			'sglang:num_queue_reqs',
			'The number of requests in the waiting queue.',
			[2826, 0],
		),
		gauge('sglang:token_usage', 'The token usage.', [0.93, 0.4]),
		gauge(
			'sglang:max_total_num_tokens',
			'Maximum total number of tokens in the KV cache pool.',
			[400_000, 400_000],
		),
		gauge('sglang:cache_hit_rate', 'The prefix cache hit rate.', [0.6, 0.7]),
		gauge(
			'sglang:gen_throughput',
			'The generation throughput (token/s).',
			[900, 400],
		),
		gauge(
			'sglang:spec_accept_rate',
			'The average acceptance rate of speculative decoding (`accepted tokens / total draft tokens` in batch).',
			[0.7, 0.7],
		),
		gauge(
			'sglang:spec_accept_length',
			'The average acceptance length of speculative decoding.',
			[3.1, 3.1],
		),
		{
			name: 'sglang:num_retracted_requests_total',
			type: 'counter',
			help: 'Total number of retracted requests.',
			samples: [0, 1].map(dp => ({
				labels: rank(dp),
				value: dp === 0 ? 30 * (1 + step) : 0,
			})),
		},
		{
			name: 'sglang:prompt_tokens_total',
			type: 'counter',
			help: 'Number of prefill tokens processed.',
			samples: [{labels: model, value: 400_000 * (1 + step)}],
		},
		{
			name: 'sglang:generation_tokens_total',
			type: 'counter',
			help: 'Number of generation tokens processed.',
			samples: [{labels: model, value: 120_000 * (1 + step)}],
		},
		{
			name: 'sglang:num_requests_total',
			type: 'counter',
			help: 'Number of requests processed.',
			samples: [{labels: model, value: requests}],
		},
		histogram(
			'sglang:time_to_first_token_seconds',
			'Histogram of time to first token in seconds.',
			model,
			[0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10],
			4,
			requests,
			3.5,
		),
		histogram(
			'sglang:inter_token_latency_seconds',
			'Histogram of inter-token latency in seconds.',
			model,
			[0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03],
			0.02,
			requests * 50,
			0.018,
		),
		histogram(
			'sglang:e2e_request_latency_seconds',
			'Histogram of End-to-end request latency in seconds',
			model,
			[1, 2, 4, 6, 8, 10, 20],
			10,
			requests,
			9,
		),
		histogram(
			'sglang:queue_time_seconds',
			'Histogram of queueing time in seconds.',
			rank(0),
			[0, 0.1, 0.2, 0.5, 1, 2, 3, 4, 5],
			3,
			requests,
			2.5,
		),
	]);
}

/** Neither vLLM nor SGLang: a Text Generation Inference router's page, with the process metrics beside it. */
export function otherServerPage(): string {
	return render([
		{
			name: 'tgi_queue_size',
			type: 'gauge',
			help: 'Requests in the queue.',
			samples: [{labels: '', value: 3}],
		},
		{
			name: 'tgi_batch_current_size',
			type: 'gauge',
			help: 'Current batch size.',
			samples: [{labels: '', value: 8}],
		},
		{
			name: 'tgi_request_count',
			type: 'counter',
			help: 'Requests received.',
			samples: [{labels: '', value: 100}],
		},
		{
			name: 'process_cpu_seconds_total',
			type: 'counter',
			help: 'Total user and system CPU time spent in seconds.',
			samples: [{labels: '', value: 12}],
		},
	]);
}
