/**
The GPU panel end to end: the CLI against the simulator's GPUs, read through the shipped fake `nvidia-smi` on PATH
or the simulator's DCGM page, and a fake tool that hangs, fails or lists nothing.
*/
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {z} from 'zod';
import {
	type Simulator,
	startSimulator,
} from '../source/simulator/simulator-server.js';
import {cliMissing, repoRoot, runCli, startCli} from './support/run-cli.js';
import {dcgmArgs} from './support/dcgm-args.js';

const fakeTools = path.join(repoRoot, 'test', 'support', 'fake-nvidia-smi');
const withFake = (extra: Record<string, string> = {}) => ({
	PATH: `${fakeTools}${path.delimiter}${process.env['PATH'] ?? ''}`,
	...extra,
});
const fields = [
	'index',
	'uuid',
	'name',
	'host',
	'utilization',
	'sm_active',
	'tensor_active',
	'dram_active',
	'memory_used_mib',
	'memory_total_mib',
	'power_w',
	'power_limit_w',
	'temperature_c',
	'sm_clock_mhz',
	'sm_clock_max_mhz',
	'throttle_reasons',
	'xid_last',
	'ecc_uncorrected',
	'nvlink_bytes_total',
	'processes',
];

const gpuDocument = z.looseObject({
	gpus: z
		.array(
			z.looseObject({
				name: z.string(),
				host: z.string().nullable(),
				power_w: z.number().nullable(),
				sm_active: z.number().nullable(),
				throttle_reasons: z.array(z.string()).nullable(),
				ecc_uncorrected: z.number().nullable(),
				processes: z.array(z.unknown()),
			}),
		)
		.optional(),
});
const alertDocument = z.looseObject({
	alerts: z.array(
		z.looseObject({id: z.string(), message: z.string(), hint: z.string()}),
	),
});
const alertsIn = (stdout: string) =>
	alertDocument.parse(JSON.parse(stdout)).alerts;
const gpusIn = (stdout: string) =>
	gpuDocument.parse(JSON.parse(stdout)).gpus ?? [];

describe('GPU panel', {skip: cliMissing}, () => {
	let simulator: Simulator;
	before(async () => {
		simulator = await startSimulator({
			scenario: 'overload',
			seed: 4,
			gpus: 2,
			timeScale: 0,
		});
		// Long enough for the overload to fill every sequence slot.
		simulator.advance(300);
	});
	after(async () => {
		await simulator.stop();
	});
	/** `--once --json` reading the GPUs from the simulator's DCGM page only. */
	const onceFromDcgm = (...extra: string[]) =>
		dcgmArgs(simulator.url, '--once', '--json', ...extra);

	test('--once --json with the fake nvidia-smi on PATH has gpus with every field, from the simulated load', async () => {
		const result = await runCli(
			[simulator.url, '--once', '--json', '-i', '0.5'],
			{
				env: withFake({FAKE_NVIDIA_SMI_URL: `${simulator.url}/dcgm/metrics`}),
				timeoutMs: 30_000,
			},
		);
		const gpus = gpusIn(result.stdout);
		assert.equal(gpus.length, 2, result.stderr);
		const [gpu] = gpus;
		assert.deepEqual(Object.keys(gpu ?? {}).toSorted(), fields.toSorted());
		assert.equal(gpu?.name, 'NVIDIA H100 80GB HBM3');
		// Overload's 32 sequence slots are all busy, but they are not enough work to take the GPU near its power limit.
		assert.ok(Number(gpu?.power_w) > 200, JSON.stringify(gpu));
		assert.ok(Number(gpu?.power_w) < 600, JSON.stringify(gpu));
		assert.deepEqual(gpu?.throttle_reasons, []);
		assert.equal(gpu?.ecc_uncorrected, null, '[Not Supported] is null');
		assert.equal(gpu?.processes.length, 1);
	});

	test('--gpu-url reads the same fields from the DCGM page, SM active included', async () => {
		const result = await runCli(onceFromDcgm(), {timeoutMs: 30_000});
		const gpus = gpusIn(result.stdout);
		assert.equal(gpus.length, 2, result.stderr);
		assert.deepEqual(Object.keys(gpus[0] ?? {}).toSorted(), fields.toSorted());
		assert.ok(Number(gpus[0]?.sm_active) > 0.2);
		assert.equal(gpus[0]?.host, 'vllm-top-simulator');
	});

	test('overload: requests wait while the GPUs are half idle, and the hint says the GPU is not the bottleneck', async () => {
		const result = await runCli(dcgmArgs(simulator.url, '--once', '--json'), {
			timeoutMs: 30_000,
		});
		const alerts = alertsIn(result.stdout);
		const idle = alerts.find(alert => alert.id === 'gpu_idle_while_waiting');
		assert.ok(idle, result.stdout);
		assert.match(idle.hint, /not the GPU/);
		assert.equal(
			alerts.find(alert => alert.id === 'gpu_compute_bound'),
			undefined,
		);
	});

	test('--record keeps each GPU poll: --replay --once shows the same GPUs and judges the same GPU rule', async () => {
		const directory = await mkdtemp(
			path.join(tmpdir(), 'vllm-top-gpu-record-'),
		);
		try {
			const file = path.join(directory, 'run.ndjson');
			const live = await runCli(onceFromDcgm('--record', file), {
				timeoutMs: 30_000,
			});
			const replayed = await runCli(['--replay', file, '--once', '--json'], {
				timeoutMs: 30_000,
			});
			const liveGpus = gpusIn(live.stdout);
			assert.equal(liveGpus.length, 2, live.stderr);
			assert.deepEqual(gpusIn(replayed.stdout), liveGpus, replayed.stderr);
			const rule = (stdout: string) =>
				alertsIn(stdout).find(alert => alert.id === 'gpu_idle_while_waiting')
					?.message;
			assert.ok(rule(live.stdout), live.stdout);
			assert.equal(rule(replayed.stdout), rule(live.stdout));
		} finally {
			await rm(directory, {recursive: true, force: true});
		}
	});

	test('--no-gpu and a box without nvidia-smi: no gpus key and nothing said', async () => {
		const off = await runCli(
			[simulator.url, '--once', '--json', '-i', '0.5', '--no-gpu'],
			{
				env: withFake(),
				timeoutMs: 30_000,
			},
		);
		assert.equal(gpuDocument.parse(JSON.parse(off.stdout)).gpus, undefined);
		const none = await runCli(
			[simulator.url, '--once', '--json', '-i', '0.5'],
			{
				env: {PATH: path.dirname(process.execPath)},
				timeoutMs: 30_000,
			},
		);
		assert.equal(gpuDocument.parse(JSON.parse(none.stdout)).gpus, undefined);
		assert.equal(none.stderr, '');
	});

	const simulatorUrl = () => simulator.url;
	for (const [mode, notice] of [
		['hang', /nvidia-smi did not answer within 1 s/],
		['fail', /nvidia-smi failed with code 9: NVIDIA-SMI has failed/],
		['empty', /nvidia-smi lists no GPUs/],
	] as const) {
		test(`a fake nvidia-smi that does '${mode}': one notice, and the lines keep coming on time`, async () => {
			const url = simulatorUrl();
			// Only the hanging tool meets the 1 s deadline: on a busy machine the others may take longer to start.
			const timeout = mode === 'hang' ? '1' : '10';
			const cli = startCli([url, '-i', '0.5', '--timeout', timeout], {
				env: withFake({FAKE_NVIDIA_SMI: mode}),
				timeoutMs: 30_000,
			});
			try {
				await cli.waitForLine(() => cli.lines().length >= 8, {
					timeoutMs: 20_000,
				});
				const result = await cli.stop('SIGINT');
				assert.equal(result.code, 0, cli.describe());
				const notices = result.stderr.split('\n').filter(line => line !== '');
				assert.equal(notices.length, 1, result.stderr);
				assert.match(notices[0] ?? '', notice);
				assert.match(result.stdout, /GPU: nvidia-smi/);
			} finally {
				await cli.stop('SIGKILL');
			}
		});
	}
});
