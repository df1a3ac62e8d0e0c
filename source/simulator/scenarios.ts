import {
	type LengthDistribution,
	sharegptOutput,
	sharegptPrompt,
} from './length-distribution.js';

/**
The load and server shapes the simulator can play. Each one makes a different part of the monitor light up: panels
move under `steady`, alerts fire under `kv-pressure`, `overload`, `restart`, `flaky` and `sleep`.
*/
export const scenarioNames = [
	'steady',
	'burst',
	'kv-pressure',
	'overload',
	'long-prompts',
	'restart',
	'flaky',
	'sleep',
] as const;

export type ScenarioName = (typeof scenarioNames)[number];

export function isScenarioName(value: string): value is ScenarioName {
	return (scenarioNames as readonly string[]).includes(value);
}

export type LoraSetup = {
	readonly maxLora: number;
	readonly adapters: readonly string[];
	/** Share of requests that name an adapter instead of the base model. */
	readonly share: number;
};

/** The server restarts every `everySeconds`: it first reports a dead engine, then refuses connections, then comes back with fresh counters. */
export type RestartPlan = {
	readonly everySeconds: number;
	readonly deadSeconds: number;
	readonly downSeconds: number;
};

/** Per-scrape faults, drawn from the seed. */
export type FlakyPlan = {
	/** The answer is held longer than a typical 3 s scrape deadline. */
	readonly hangProbability: number;
	/** HTTP 500. */
	readonly errorProbability: number;
	/** The connection is dropped without an answer. */
	readonly dropProbability: number;
};

/** The engine sleeps for `sleepSeconds` at the end of every `everySeconds` cycle, alternating sleep levels 1 and 2. */
export type SleepPlan = {
	readonly everySeconds: number;
	readonly sleepSeconds: number;
};

export type Scenario = {
	readonly name: ScenarioName;
	readonly description: string;
	/** Poisson arrival rate (requests per sim second, whole server) at sim time `t`. */
	readonly rate: (t: number) => number;
	/** Upper bound of `rate`, for thinning. */
	readonly peakRate: number;
	readonly prompt: LengthDistribution;
	readonly output: LengthDistribution;
	readonly maxModelLen: number;
	readonly blockSize: number;
	readonly numGpuBlocks: number;
	readonly maxNumSeqs: number;
	readonly maxNumBatchedTokens: number;
	readonly engines: number;
	/** Send nine arrivals in ten to engine 0 (a router that ignores load), so data-parallel engines drift apart. */
	readonly skew?: boolean;
	/** Draft tokens per step; 0 means no speculative decoding. */
	readonly specDecodeTokens: number;
	readonly lora: LoraSetup | undefined;
	readonly enablePrefixCaching: boolean;
	/** A hybrid attention/mamba model: its cache configuration has `mamba_block_size` and its blocks are no token count. */
	readonly hybrid: boolean;
	/** Share of requests that start with a prefix another request already computed (system prompt, RAG document). */
	readonly prefixShareProbability: number;
	/** Share of the prompt that such a request finds cached. */
	readonly prefixShareFraction: number;
	/** Share of requests that set `max_tokens`; the others may run to max_model_len. */
	readonly maxTokensProbability: number;
	readonly maxTokens: number;
	/** Clients give up (abort) after waiting this long in the queue. */
	readonly clientTimeoutSeconds: number;
	/** Share of requests that end with `error`. */
	readonly errorProbability: number;
	readonly restart: RestartPlan | undefined;
	readonly flaky: FlakyPlan | undefined;
	readonly sleep: SleepPlan | undefined;
	/** KV offload to CPU memory (vLLM's OffloadingConnector), with its families on the page. */
	readonly kvOffload?: boolean;
};

const base = {
	prompt: sharegptPrompt,
	output: sharegptOutput,
	maxModelLen: 8192,
	blockSize: 16,
	numGpuBlocks: 2250,
	maxNumSeqs: 256,
	maxNumBatchedTokens: 8192,
	engines: 1,
	specDecodeTokens: 0,
	lora: undefined,
	enablePrefixCaching: true,
	hybrid: false,
	prefixShareProbability: 0.5,
	prefixShareFraction: 0.6,
	maxTokensProbability: 0.7,
	maxTokens: 1024,
	clientTimeoutSeconds: 600,
	errorProbability: 0,
	restart: undefined,
	flaky: undefined,
	sleep: undefined,
} as const;

/** Arrival rates that keep a plain engine busy but not saturated, and one with speculative decoding at about 60% KV use. */
const plainRate = 15;
const specRate = 34;

export const scenarios: Readonly<Record<ScenarioName, Scenario>> = {
	steady: {
		...base,
		name: 'steady',
		description:
			'constant Poisson load, KV cache about 60% full, spec decode and two LoRA adapters',
		rate: () => specRate,
		peakRate: specRate,
		numGpuBlocks: 1200,
		specDecodeTokens: 3,
		lora: {maxLora: 4, adapters: ['sql-lora', 'chat-lora'], share: 0.2},
	},
	burst: {
		...base,
		name: 'burst',
		description:
			'two data-parallel engines; quiet load with a 20 s spike every 90 s',
		rate: t => (t % 90 >= 60 && t % 90 < 80 ? 60 : 6),
		peakRate: 60,
		engines: 2,
		numGpuBlocks: 2700,
	},
	'kv-pressure': {
		...base,
		name: 'kv-pressure',
		description:
			'small KV pool and long answers: the pool fills and requests get preempted',
		rate: () => 4,
		peakRate: 4,
		numGpuBlocks: 1300,
		output: {mean: 900, sigma: 0.6},
		maxTokensProbability: 0.3,
		maxTokens: 4096,
	},
	overload: {
		...base,
		name: 'overload',
		description:
			'arrivals far above capacity with max_num_seqs 32: the queue grows and TTFT explodes',
		rate: () => 30,
		peakRate: 30,
		maxNumSeqs: 32,
		numGpuBlocks: 4000,
		clientTimeoutSeconds: 180,
	},
	'long-prompts': {
		...base,
		name: 'long-prompts',
		description:
			'RAG-style prompts of several thousand tokens, max_model_len 32768, chunked prefill',
		rate: () => 2.5,
		peakRate: 2.5,
		prompt: {mean: 4000, sigma: 0.7},
		output: {mean: 150, sigma: 0.8},
		maxModelLen: 32_768,
		numGpuBlocks: 4500,
		maxNumBatchedTokens: 2048,
		prefixShareProbability: 0.7,
		prefixShareFraction: 0.8,
	},
	restart: {
		...base,
		name: 'restart',
		description:
			'steady load, but the server dies and restarts every 120 s: /health 503, refused connections, counters reset',
		rate: () => plainRate,
		peakRate: plainRate,
		restart: {everySeconds: 120, deadSeconds: 5, downSeconds: 10},
	},
	flaky: {
		...base,
		name: 'flaky',
		description:
			'steady load, but some scrapes hang, fail with 500 or lose the connection, and some requests error',
		rate: () => plainRate,
		peakRate: plainRate,
		errorProbability: 0.03,
		flaky: {hangProbability: 0.1, errorProbability: 0.1, dropProbability: 0.05},
	},
	sleep: {
		...base,
		name: 'sleep',
		description:
			'the engine sleeps for 40 s of every 100 s (levels 1 and 2 alternate) and serves nothing meanwhile',
		rate: t => (t % 100 >= 55 ? 0 : plainRate),
		peakRate: plainRate,
		sleep: {everySeconds: 100, sleepSeconds: 40},
	},
};

export type SleepLevel = 0 | 1 | 2;

/** Sleep level at sim time `t`: 0 awake, 1 weights offloaded, 2 everything discarded. */
export function sleepLevelAt(scenario: Scenario, t: number): SleepLevel {
	const plan = scenario.sleep;
	if (!plan) {
		return 0;
	}

	const cycle = Math.floor(t / plan.everySeconds);
	const inCycle = t - cycle * plan.everySeconds;
	if (inCycle < plan.everySeconds - plan.sleepSeconds) {
		return 0;
	}

	return cycle % 2 === 0 ? 1 : 2;
}

export type ServerPhase = 'up' | 'dead' | 'down';

/** Where the restart cycle is at sim time `t`. `dead` answers /health with 503, `down` refuses connections. */
export function serverPhaseAt(scenario: Scenario, t: number): ServerPhase {
	const plan = scenario.restart;
	if (!plan || t < plan.everySeconds) {
		return 'up';
	}

	const sinceRestart = t % plan.everySeconds;
	if (sinceRestart < plan.deadSeconds) {
		return 'dead';
	}

	if (sinceRestart < plan.deadSeconds + plan.downSeconds) {
		return 'down';
	}

	return 'up';
}

/** How many times the server has come back from a restart by sim time `t`. */
export function restartsBy(scenario: Scenario, t: number): number {
	const plan = scenario.restart;
	if (!plan) {
		return 0;
	}

	const back = plan.deadSeconds + plan.downSeconds;
	return Math.max(0, Math.floor((t - back) / plan.everySeconds));
}

/**
The scenario on a server other than the one it was written for: the arrival rate follows the server's capacity, so
each engine sees the load the description promises. More data-parallel engines share proportionally more arrivals;
without the speculative decoding the scenario counts on (V0 has none), an engine serves plain decoding's rate.
*/
export function fitToServer(
	scenario: Scenario,
	server: {readonly engines: number; readonly specDecodeTokens: number},
): Scenario {
	const perEngine = server.engines / scenario.engines;
	const decoding =
		scenario.specDecodeTokens > 0 && server.specDecodeTokens === 0
			? plainRate / specRate
			: 1;
	const factor = perEngine * decoding;
	if (factor === 1) {
		return {...scenario, ...server};
	}

	return {
		...scenario,
		...server,
		rate: t => scenario.rate(t) * factor,
		peakRate: scenario.peakRate * factor,
	};
}
