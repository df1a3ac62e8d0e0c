/**
The GPU alerts end to end, driven by the fake tools: the fake nvidia-smi starts and stops throttling through its
field file while `--json` runs, and the simulator's overload scenario reports an XID on its DCGM page for part of each
cycle. Each alert goes pending, fires after its `for`, and resolves when the tool stops reporting the cause.
*/
import assert from 'node:assert/strict';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {
	type Simulator,
	startSimulator,
} from '../source/simulator/simulator-server.js';
import {
	cliMissing,
	parseSnapshot,
	repoRoot,
	type RunningCli,
	runCli,
	startCli,
} from './support/run-cli.js';
import {dcgmArgs} from './support/dcgm-args.js';

const fakeTools = path.join(repoRoot, 'test', 'support', 'fake-nvidia-smi');

function stateOf(line: string, id: string): string | undefined {
	return parseSnapshot(line).alerts.find(alert => alert.id === id)?.state;
}

async function waitForState(
	cli: RunningCli,
	id: string,
	state: string | undefined,
	from: number,
): Promise<number> {
	await cli.waitForLine(line => stateOf(line, id) === state, {
		timeoutMs: 20_000,
		from,
	});
	return cli
		.lines()
		.findIndex((line, index) => index >= from && stateOf(line, id) === state);
}

describe('GPU alerts from the fake tools', {skip: cliMissing}, () => {
	let simulator: Simulator;
	let directory: string;
	before(async () => {
		simulator = await startSimulator({
			scenario: 'overload',
			seed: 4,
			gpus: 1,
			timeScale: 0,
		});
		simulator.advance(60);
		directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-gpu-'));
	});
	after(async () => {
		await simulator.stop();
		await rm(directory, {recursive: true, force: true});
	});

	test('thermal throttling from nvidia-smi is pending, fires after its for, and resolves when it stops', async () => {
		const fields = path.join(directory, 'fields.json');
		await writeFile(fields, '{}');
		const cli = startCli(
			[
				simulator.url,
				'--json',
				'-i',
				'0.5',
				'--threshold',
				'gpu_throttling.for=2s',
			],
			{
				env: {
					PATH: `${fakeTools}${path.delimiter}${process.env['PATH'] ?? ''}`,
					FAKE_NVIDIA_SMI_URL: `${simulator.url}/dcgm/metrics`,
					FAKE_NVIDIA_SMI_FILE: fields,
				},
				timeoutMs: 60_000,
			},
		);
		try {
			await cli.waitForLine(line => parseSnapshot(line).status !== '');
			const quiet = cli.lines().length;
			assert.equal(
				stateOf(cli.lines().at(-1) ?? '', 'gpu_throttling'),
				undefined,
			);
			await writeFile(
				fields,
				JSON.stringify({
					DCGM_FI_DEV_CLOCK_THROTTLE_REASONS: 0x40,
					DCGM_FI_DEV_GPU_TEMP: 92,
				}),
			);
			const pendingAt = await waitForState(
				cli,
				'gpu_throttling',
				'pending',
				quiet,
			);
			const firingAt = await waitForState(
				cli,
				'gpu_throttling',
				'firing',
				pendingAt,
			);
			const firing = parseSnapshot(cli.lines()[firingAt] ?? '').alerts.find(
				alert => alert.id === 'gpu_throttling',
			);
			assert.match(JSON.stringify(firing), /thermal: hw_thermal/);
			const pending = Date.parse(
				parseSnapshot(cli.lines()[pendingAt] ?? '').at,
			);
			const fired = Date.parse(parseSnapshot(cli.lines()[firingAt] ?? '').at);
			assert.ok(
				fired - pending >= 1500,
				`fired ${fired - pending} ms after pending`,
			);
			await writeFile(fields, '{}');
			await waitForState(cli, 'gpu_throttling', 'resolved', firingAt);
		} finally {
			await cli.stop('SIGKILL');
		}
	});

	test('the overload scenario reports an XID on its DCGM page: a crit alert names it, and it resolves after the window', async () => {
		const cli = startCli(dcgmArgs(simulator.url, '--json'), {
			timeoutMs: 60_000,
		});
		try {
			await cli.waitForLine(line => parseSnapshot(line).status !== '');
			const before = cli.lines().length;
			// The scenario's XID window: 90 s to 120 s of each 180 s cycle.
			simulator.advance(40);
			const firingAt = await waitForState(cli, 'gpu_xid', 'firing', before);
			const line = parseSnapshot(cli.lines()[firingAt] ?? '');
			const xid = line.alerts.find(alert => alert.id === 'gpu_xid');
			assert.equal(xid?.severity, 'crit');
			assert.match(JSON.stringify(xid), /XID 31 \(GPU memory page fault\)/);
			assert.equal(line.status, 'crit');
			simulator.advance(40);
			await waitForState(cli, 'gpu_xid', 'resolved', firingAt);
		} finally {
			await cli.stop('SIGKILL');
		}
	});
});

test(
	'long prompts keep the simulated GPUs saturated with the KV cache mostly free: the compute-bound hint says so',
	{skip: cliMissing, timeout: 60_000},
	async () => {
		const simulator = await startSimulator({
			scenario: 'long-prompts',
			seed: 1,
			gpus: 1,
			timeScale: 0,
		});
		try {
			simulator.advance(30);
			const result = await runCli(dcgmArgs(simulator.url, '--once', '--json'), {
				timeoutMs: 30_000,
			});
			const {alerts} = parseSnapshot(result.stdout);
			const hint = alerts.find(alert => alert.id === 'gpu_compute_bound');
			assert.ok(hint, result.stdout);
			assert.match(JSON.stringify(hint), /--max-num-batched-tokens/);
			assert.equal(
				alerts.find(alert => alert.id === 'gpu_idle_while_waiting'),
				undefined,
			);
		} finally {
			await simulator.stop();
		}
	},
);
