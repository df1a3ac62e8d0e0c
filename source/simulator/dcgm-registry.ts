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
import type {Scenario} from './scenarios.js';

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

/** What one simulated GPU does, from the engine it serves. Pure, so the fake `nvidia-smi` and tests agree with the page. */
export function simulatedGpu(
	state: ClusterState,
	config: EngineConfig,
	index: number,
): Record<keyof typeof dcgmField, number> {
	const engine = state.engines[index % Math.max(1, state.engines.length)];
	const running = engine?.running.length ?? 0;
	const batch = Math.min(1, running / Math.max(1, config.maxNumSeqs));
	const smActive = running === 0 ? 0 : Math.min(0.99, 0.25 + 0.74 * batch);
	const demand = idleWatts + (limitWatts - idleWatts) * smActive * 1.1;
	const capped = demand >= limitWatts;
	const power = Math.min(limitWatts, demand);
	const usedMib = Math.round(
		totalMib * 0.9 * ((engine?.usedBlocks ?? 0) > 0 ? 1 : 0.98),
	);
	return {
		gpuUtil: running === 0 ? 0 : Math.min(100, Math.round(60 + 40 * batch)),
		smActive,
		tensorActive: smActive * 0.55,
		dramActive: smActive * 0.7,
		fbUsed: usedMib,
		fbFree: totalMib - usedMib - reservedMib,
		fbReserved: reservedMib,
		power,
		powerLimit: limitWatts,
		temperature: Math.round(34 + 0.06 * power),
		smClock: capped ? 1755 : running === 0 ? 345 : maxSmMhz,
		smClockMax: maxSmMhz,
		xid: 0,
		throttle: capped
			? throttleBits.sw_power_cap
			: running === 0
				? throttleBits.idle
				: 0,
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
			const values = simulatedGpu(state, config, gpu);
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
