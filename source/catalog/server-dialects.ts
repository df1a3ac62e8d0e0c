/**
The servers whose `/metrics` the catalog knows, by the prefix their metric names carry. Ray Serve LLM pages are
vLLM's names under another prefix; SGLang's names are mapped onto the signals through `elsewhere` in `signals.ts`.
*/
export type Dialect = {
	/** Who writes these names, as the header and the reports say it. */
	readonly server: string;
	readonly prefixes: readonly string[];
};

export const serverDialects = {
	vllm: {server: 'vLLM', prefixes: ['vllm:']},
	/** Ray Serve LLM wraps vLLM's names: `ray_vllm:`, or `ray_vllm_` where Ray sanitises the colon. */
	ray_vllm: {server: 'vLLM (Ray Serve)', prefixes: ['ray_vllm:', 'ray_vllm_']},
	sglang: {server: 'SGLang', prefixes: ['sglang:']},
} as const satisfies Readonly<Record<string, Dialect>>;

/** The `server.dialect` of `--json`. */
export type DialectId = keyof typeof serverDialects;

/** Prefixes of a page that comes from vLLM, directly or through Ray. */
export const vllmPrefixes: readonly string[] = [
	...serverDialects.vllm.prefixes,
	...serverDialects.ray_vllm.prefixes,
];

/**
Labels Ray's metrics agent and Ray Serve add to every series (`ReplicaId` is vLLM's own Ray wrapper's). They say
where a series comes from, not what it measures, so they are left out of grouping, except that series of
different replicas stay apart: each replica's engines are engines of their own.
*/
export const rayLabels = {
	replica: 'ReplicaId',
	other: [
		'WorkerId',
		'SessionName',
		'NodeAddress',
		'Version',
		'Component',
		'JobId',
		'deployment',
		'application',
	],
} as const;

/**
SGLang's labels (`python/sglang/srt/metrics/collector.py`): `dp_rank` tells data-parallel ranks apart, as vLLM's
`engine` does; the ranks within one engine (tensor, pipeline, expert) report the same scheduler, so only one is read.
*/
/**
SGLang's names read by code of their own (`python/sglang/srt/metrics/collector.py`), both gauges per scheduler: the
mean acceptance length of speculative decoding (accepted draft tokens plus the one the target model adds, so 1 when
nothing is accepted), and the token pool the scheduler was given, SGLang's own statement of its KV capacity.
*/
export const sglangMetric = {
	acceptLength: 'sglang:spec_accept_length',
	tokenPool: 'sglang:max_total_num_tokens',
} as const;

export const sglangLabels = {
	engine: 'dp_rank',
	within: ['tp_rank', 'pp_rank', 'moe_ep_rank', 'engine_type'],
} as const;
