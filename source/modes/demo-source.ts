/**
`--demo`: the simulator in this process, watched like any live server. The simulator loads only in this mode.
*/
import type {AlertConfig} from '../alerts/alert-config.js';
import type {CliOptions} from '../config/cli-options.js';
import {buildTargets} from './build-targets.js';
import {liveSource} from './live-source.js';
import type {Source} from './source.js';

export async function demoSource(
	options: CliOptions,
	alertConfig: AlertConfig,
): Promise<Source | string> {
	const {parseScenario} = await import('./simulate-command.js');
	const {startSimulator} = await import('../simulator/simulator-server.js');
	const scenario = parseScenario(options.scenario);
	if (!scenario.ok) {
		return scenario.error;
	}

	const simulator = await startSimulator({
		port: 0,
		scenario: scenario.scenario,
		seed: options.seed,
		timeScale: options.timeScale,
		legacyV0: options.legacyV0,
		specDecode: options.specDecode,
		hybrid: options.hybrid,
		engines: options.engines,
		profiler: true,
		profilerStopMs: options.profilerStopMs,
		traffic: options.traffic,
		gpus: options.gpus,
		kvOffload: options.kvOffload,
		dialect: options.dialect,
		skew: options.skew,
	});
	const built = buildTargets([simulator.url]);
	// With --gpus, the simulated GPUs stand in for the box's: their DCGM page is the target's GPU source.
	const gpuUrl = options.gpus ? `${simulator.url}/dcgm/metrics` : undefined;
	const live = built.ok
		? await liveSource(
				options,
				alertConfig,
				built.targets.map(target => ({...target, gpuUrl})),
			)
		: built.error;
	if (typeof live === 'string') {
		await simulator.stop();
		return live;
	}

	return {
		...live,
		async close() {
			await live.close();
			await simulator.stop();
		},
	};
}
