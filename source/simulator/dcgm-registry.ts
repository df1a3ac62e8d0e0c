/**
The simulated GPUs' DCGM exporter page (`/dcgm/metrics` with `--gpus N`), written by prom-client with the exporter's
metric names, HELP texts and labels. The numbers follow the engine the GPU serves: SM activity follows the batch,
power and temperature follow SM activity, and a GPU near its power limit reports the power-cap throttle reason.
*/
import type http from 'node:http';
import {Gauge, Registry} from 'prom-client';
import {dcgmField} from '../gpu/dcgm-fields.js';
import {throttleBits} from '../gpu/throttle-reasons.js';
import {type ClusterState, engineConfigOf} from './cluster-model.js';
import type {EngineConfig} from './engine-model.js';
import {extraWorkOf, thermalAt, xidAt} from './gpu-events.js';
import type {Scenario, ScenarioName} from './scenarios.js';

const labelNames = ['gpu', 'UUID', 'device', 'modelName', 'Hostname'] as const;
const model = 'NVIDIA H100 80GB HBM3';
const totalMib = 81_559;
const reservedMib = 449;
const idleWatts = 72;
const limitWatts = 700;
const maxSmMhz = 1980;

type Help = Readonly<Record<keyof typeof dcgmField, string>>;
const help: Help = {
	gpuUtil: 'GPU utilization (in %).',
	smActive: 'The ratio of cycles an SM has at least 1 warp assigned.',
	tensorActive: 'Ratio of cycles the tensor (HMMA) pipe is active.',
	dramActive:
		'Ratio of cycles the device memory interface is active sending or receiving data.',
	fbUsed: 'Framebuffer memory used (in MiB).',
	fbFree: 'Framebuffer memory free (in MiB).',
	fbReserved: 'Framebuffer memory reserved (in MiB).',
	power: 'Power draw (in W).',
	powerLimit: 'Current power limit for the device (in W).',
	temperature: 'GPU temperature (in C).',
	smClock: 'SM clock frequency (in MHz).',
	smClockMax: 'Maximum SM clock frequency (in MHz).',
	xid: 'Value of the last XID error encountered.',
	throttle: 'Current clock throttle reasons.',
	clocksEvent: 'Current clock event reasons.',
	eccDbe: 'Total number of double-bit volatile ECC errors.',
	nvlink: 'Total number of NVLink bandwidth counters for all lanes.',
};

/** Running requests at which a GPU's SMs are all busy with decode steps alone. */
const saturatingBatch = 128;

/** How much work the engine gives its GPU: decode rows against a full batch, plus pending prefill against a step. */
function workOf(
	running: ClusterState['engines'][number]['running'],
	config: EngineConfig,
): number {
	const prefill = running.reduce(
		(sum, request) =>
			sum + Math.max(0, request.arrival.promptTokens - request.computedTokens),
		0,
	);
	return Math.min(
		1,
		running.length / saturatingBatch +
			prefill / Math.max(1, config.maxNumBatchedTokens),
	);
}

/**
What one simulated GPU does, from the engine it serves. Pure, so the fake `nvidia-smi` and tests agree with the page.
SM activity follows the work in the batch; power and temperature follow SM activity; the scenario's GPU events
(`gpu-events.ts`) add heat throttling and XID errors.
*/
export function simulatedGpu(
	state: ClusterState,
	config: EngineConfig,
	index: number,
	scenario: ScenarioName = 'steady',
): Record<keyof typeof dcgmField, number> {
	const engine = state.engines[index % Math.max(1, state.engines.length)];
	const running = engine?.running ?? [];
	const work = Math.min(1, workOf(running, config) + extraWorkOf(scenario));
	const smActive = running.length === 0 ? 0 : Math.min(0.99, 0.2 + 0.8 * work);
	const demand = idleWatts + (limitWatts - idleWatts) * smActive * 1.1;
	const capped = demand >= limitWatts;
	const hot = thermalAt(scenario, index, state.time);
	const power = Math.min(limitWatts, demand);
	const usedMib = Math.round(
		totalMib * 0.9 * ((engine?.usedBlocks ?? 0) > 0 ? 1 : 0.98),
	);
	let throttle = running.length === 0 ? throttleBits.idle : 0;
	if (capped) {
		throttle |= throttleBits.sw_power_cap;
	}

	if (hot) {
		throttle |= throttleBits.hw_thermal | throttleBits.sw_thermal;
	}

	return {
		gpuUtil:
			running.length === 0 ? 0 : Math.min(100, Math.round(60 + 40 * work)),
		smActive,
		tensorActive: smActive * 0.55,
		dramActive: smActive * 0.7,
		fbUsed: usedMib,
		fbFree: totalMib - usedMib - reservedMib,
		fbReserved: reservedMib,
		power: hot ? power * 0.8 : power,
		powerLimit: limitWatts,
		temperature: hot ? 91 : Math.round(34 + 0.06 * power),
		smClock: hot ? 1200 : capped ? 1755 : running.length === 0 ? 345 : maxSmMhz,
		smClockMax: maxSmMhz,
		xid: xidAt(scenario, index, state.time),
		throttle,
		clocksEvent: Number.NaN,
		eccDbe: 0,
		nvlink: Math.round(state.time * 1e9 * smActive),
	};
}

/** Every field the panel reads but the newer name of the throttle mask, which the page does not need twice. */
const served: ReadonlyArray<keyof typeof dcgmField> = [
	'gpuUtil',
	'smActive',
	'tensorActive',
	'dramActive',
	'fbUsed',
	'fbFree',
	'fbReserved',
	'power',
	'powerLimit',
	'temperature',
	'smClock',
	'smClockMax',
	'xid',
	'throttle',
	'eccDbe',
	'nvlink',
];

export class DcgmMetrics {
	readonly #registry = new Registry();
	readonly #gauges: Array<[keyof typeof dcgmField, Gauge]>;
	readonly #gpus: number;

	constructor(gpus: number) {
		this.#gpus = gpus;
		this.#gauges = served.map(key => [
			key,
			new Gauge({
				name: dcgmField[key],
				help: help[key],
				labelNames,
				registers: [this.#registry],
			}),
		]);
	}

	update(state: ClusterState, scenario: Scenario): void {
		const config = engineConfigOf(scenario);
		for (let gpu = 0; gpu < this.#gpus; gpu++) {
			const values = simulatedGpu(state, config, gpu, scenario.name);
			const labels = {
				gpu: String(gpu),
				UUID: `GPU-00000000-0000-4000-8000-${String(gpu).padStart(12, '0')}`,
				device: `nvidia${gpu}`,
				modelName: model,
				Hostname: 'vllm-top-simulator',
			};
			for (const [key, gauge] of this.#gauges) {
				gauge.set(labels, values[key]);
			}
		}
	}

	async serve(response: http.ServerResponse): Promise<void> {
		const text = await this.#registry.metrics();
		response.writeHead(200, {'content-type': this.#registry.contentType});
		response.end(text);
	}
}
