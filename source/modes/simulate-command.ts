/**
`vllm-top simulate`: checks the scenario name, then runs the standalone simulator until Ctrl-C.
*/
import type {CliOptions} from '../config/cli-options.js';
import {scenarioNames, type ScenarioName} from '../simulator/scenarios.js';
import type {ModeIo} from './mode-io.js';
import {runSimulate} from './simulate.js';

function isScenarioName(name: string): name is ScenarioName {
	return (scenarioNames as readonly string[]).includes(name);
}

export function parseScenario(
	name = 'steady',
): {ok: true; scenario: ScenarioName} | {ok: false; error: string} {
	return isScenarioName(name)
		? {ok: true, scenario: name}
		: {
				ok: false,
				error: `unknown --scenario '${name}': pick one of ${scenarioNames.join(', ')}`,
			};
}

export async function runSimulateCommand(
	options: CliOptions,
	io: ModeIo,
): Promise<number> {
	const scenario = parseScenario(options.scenario);
	if (!scenario.ok) {
		io.stderr.write(`vllm-top simulate: ${scenario.error}\n`);
		return 2;
	}

	if (options.inputs.length > 0) {
		io.stderr.write(
			`vllm-top simulate: takes no URL (got ${options.inputs.join(' ')}); use --port and --host\n`,
		);
		return 2;
	}

	return runSimulate(
		{
			port: options.port,
			host: options.host,
			scenario: scenario.scenario,
			seed: options.seed,
			timeScale: options.timeScale,
			legacyV0: options.legacyV0,
			specDecode: options.specDecode,
			hybrid: options.hybrid,
			profiler: options.profiler,
			engines: options.engines ?? 0,
			traffic: options.traffic,
			gpus: options.gpus ?? 0,
			kvOffload: options.kvOffload,
			dialect: options.dialect,
			skew: options.skew,
		},
		io,
	);
}
