import {once} from 'node:events';
import {systemErrorCode} from '../format/error-code.js';
import {type ScenarioName, scenarios} from '../simulator/scenarios.js';
import type {SimulatedDialect} from '../simulator/simulated-dialect-names.js';
import {startSimulator} from '../simulator/simulator-server.js';

export type SimulateOptions = {
	readonly port: number;
	readonly host: string;
	readonly scenario: ScenarioName;
	readonly seed: number;
	readonly timeScale: number;
	readonly legacyV0: boolean;
	readonly specDecode?: boolean;
	readonly hybrid?: boolean;
	readonly profiler: boolean;
	/** Data-parallel engines; 0 keeps the scenario's own number. */
	readonly engines: number;
	/** False: no load of its own, only what clients send. */
	readonly traffic: boolean;
	/** Simulated GPUs on /dcgm/metrics; 0 for none. */
	readonly gpus?: number;
	/** KV offload to CPU memory and its families on /metrics. */
	readonly kvOffload?: boolean;
	/** Whose page /metrics serves. @default 'vllm' */
	readonly dialect?: SimulatedDialect;
	/** Nine requests in ten to engine 0. */
	readonly skew?: boolean;
};

export type SimulateIo = {
	readonly stdout: NodeJS.WritableStream;
	readonly stderr: NodeJS.WritableStream;
	readonly signal: AbortSignal;
};

function describeStartError(error: unknown, options: SimulateOptions): string {
	const code = systemErrorCode(error);
	if (code === 'EADDRINUSE') {
		return `vllm-top simulate: port ${options.port} on ${options.host} is already in use; pick another with --port`;
	}

	if (code === 'EACCES') {
		return `vllm-top simulate: not allowed to listen on ${options.host}:${options.port}; use a port above 1023 with --port`;
	}

	if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
		return `vllm-top simulate: cannot listen on host ${options.host}; use an address of this machine, e.g. 127.0.0.1`;
	}

	const message = error instanceof Error ? error.message : String(error);
	return `vllm-top simulate: ${message.split('\n')[0] ?? 'failed to start'}`;
}

/** `vllm-top simulate`: a standalone simulated vLLM server for curl, Prometheus or a monitor in another pane. */
export async function runSimulate(
	options: SimulateOptions,
	io: SimulateIo,
): Promise<number> {
	let simulator;
	try {
		simulator = await startSimulator({
			port: options.port,
			host: options.host,
			scenario: options.scenario,
			seed: options.seed,
			timeScale: options.timeScale,
			legacyV0: options.legacyV0,
			specDecode: options.specDecode,
			hybrid: options.hybrid,
			profiler: options.profiler,
			engines: options.engines > 0 ? options.engines : undefined,
			traffic: options.traffic,
			gpus: options.gpus,
			kvOffload: options.kvOffload,
			dialect: options.dialect,
			skew: options.skew,
		});
	} catch (error) {
		io.stderr.write(`${describeStartError(error, options)}\n`);
		return 1;
	}

	const scenario = scenarios[options.scenario];
	const vllmSet = options.legacyV0 ? 'V0 (vLLM 0.6.3)' : 'V1 (current vLLM)';
	const metricSet =
		options.dialect === 'sglang'
			? 'SGLang'
			: options.dialect === 'ray'
				? `Ray Serve LLM ray_vllm: ${vllmSet}`
				: vllmSet;
	io.stdout.write(
		[
			`vLLM simulator listening on ${simulator.url} (model meta-llama/Llama-3.1-8B-Instruct, ${metricSet} metrics)`,
			`scenario ${options.scenario}: ${scenario.description}`,
			`seed ${options.seed}, ${options.timeScale}x time${options.profiler ? ', profiler on' : ''}${options.traffic ? '' : ', no built-in traffic'}`,
			`endpoints: /metrics /health /version /v1/models POST /v1/completions POST /v1/chat/completions POST /tokenize${options.gpus ? ' /dcgm/metrics' : ''}${options.profiler ? ' POST /start_profile POST /stop_profile' : ''}`,
			'Ctrl-C stops it.',
			'',
		].join('\n'),
	);
	if (!io.signal.aborted) {
		await once(io.signal, 'abort');
	}

	await simulator.stop();
	io.stdout.write('vLLM simulator stopped\n');
	return 0;
}
