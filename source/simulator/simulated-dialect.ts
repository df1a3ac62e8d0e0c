/**
Which server the simulator's `/metrics` imitates: vLLM itself, vLLM under Ray Serve LLM, or SGLang. The engines
behind it are the same; only the page differs.
*/
import {rayDefaultLabels, rayName} from './ray-dialect.js';
import {SglangMetrics} from './sglang-registry.js';
import {
	type MetricsSetup,
	type SimulatorMetrics,
	V1Metrics,
} from './vllm-registry.js';
import {V0Metrics} from './vllm-v0-registry.js';
import type {SimulatedDialect} from './simulated-dialect-names.js';

export type {SimulatedDialect} from './simulated-dialect-names.js';

export function dialectMetrics(
	dialect: SimulatedDialect,
	legacyV0: boolean,
	setup: MetricsSetup,
): SimulatorMetrics {
	if (dialect === 'sglang') {
		return new SglangMetrics(setup);
	}

	const named = dialect === 'ray' ? {...setup, rename: rayName} : setup;
	const metrics = legacyV0 ? new V0Metrics(named) : new V1Metrics(named);
	if (dialect === 'ray') {
		metrics.registry.setDefaultLabels(rayDefaultLabels);
	}

	return metrics;
}
