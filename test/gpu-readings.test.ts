import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import type {GpuReading} from '../source/gpu/gpu-reading.js';
import {gpusFromDcgm} from '../source/gpu/gpus-from-dcgm.js';
import {
	parseAppQuery,
	parseGpuQuery,
	withProcesses,
} from '../source/gpu/parse-nvidia-smi.js';
import {parseExposition} from '../source/parse/parse-exposition.js';

const uuid0 = 'GPU-4b0f1c2a-7d1e-4a57-9c0e-2f6b3b1d0a01';

function gpusOf(text: string): readonly GpuReading[] {
	const result = parseGpuQuery(text);
	if (!result.ok) {
		assert.fail(result.error);
	}

	return result.gpus;
}

test('nvidia-smi CSV: every column lands in its field, units as the panel uses them', () => {
	const [gpu] = gpusOf(
		`0, ${uuid0}, NVIDIA H100 80GB HBM3, 87, 71234, 81559, 512.34, 700.00, 64, 1755, 1980, 0x0000000000000004, 0\n`,
	);
	assert.deepEqual(
		{...gpu, processes: undefined},
		{
			index: 0,
			uuid: uuid0,
			name: 'NVIDIA H100 80GB HBM3',
			host: null,
			utilization: 0.87,
			sm_active: null,
			tensor_active: null,
			dram_active: null,
			memory_used_mib: 71_234,
			memory_total_mib: 81_559,
			power_w: 512.34,
			power_limit_w: 700,
			temperature_c: 64,
			sm_clock_mhz: 1755,
			sm_clock_max_mhz: 1980,
			throttle_reasons: ['sw_power_cap'],
			xid_last: null,
			ecc_uncorrected: 0,
			nvlink_bytes_total: null,
			processes: undefined,
		},
	);
});

test('nvidia-smi CSV: [N/A] and [Not Supported] fields are null, the rest still read', () => {
	const [gpu] = gpusOf(
		'1, [N/A], Tesla T4, 12, 300, 15360, [N/A], [Not Supported], 41, 585, 1590, [Not Supported], [N/A]\r\n',
	);
	assert.equal(gpu?.uuid, null);
	assert.equal(gpu?.power_w, null);
	assert.equal(gpu?.power_limit_w, null);
	assert.equal(gpu?.throttle_reasons, null);
	assert.equal(gpu?.ecc_uncorrected, null);
	assert.equal(gpu?.temperature_c, 41);
	assert.equal(gpu?.utilization, 0.12);
});

test('nvidia-smi CSV: idle alone is no throttling; thermal bits are named', () => {
	const [idle, hot] = gpusOf(
		[
			'0, GPU-a, A, 0, 1, 2, 3, 4, 5, 6, 7, 0x0000000000000001, 0',
			'1, GPU-b, B, 0, 1, 2, 3, 4, 5, 6, 7, 0x0000000000000060, 0',
		].join('\n'),
	);
	assert.deepEqual(idle?.throttle_reasons, []);
	assert.deepEqual(hot?.throttle_reasons, ['sw_thermal', 'hw_thermal']);
});

test('nvidia-smi CSV: no GPUs is an empty list; a wrong shape is a one-line error naming the line', () => {
	assert.deepEqual(gpusOf('\n'), []);
	const result = parseGpuQuery('0, GPU-a, A, 1\n');
	assert.equal(result.ok, false);
	assert.match(result.ok ? '' : result.error, /line 1: expected 13/);
	const notIndex = parseGpuQuery(
		'x, GPU-a, A, 0, 1, 2, 3, 4, 5, 6, 7, 0x0, 0\n',
	);
	assert.match(notIndex.ok ? '' : notIndex.error, /index/);
});

test('nvidia-smi CSV: control characters in a name reach the screen only as visible escapes', () => {
	const [gpu] = gpusOf(
		'0, GPU-a, Evil\u001B[2J\u202E, 0, 1, 2, 3, 4, 5, 6, 7, 0x0, 0',
	);
	assert.equal(gpu?.name, String.raw`Evil\x1b[2J\u202e`);
});

test('compute apps join their GPU by UUID; a name with a comma stays whole', () => {
	const apps = parseAppQuery(
		`${uuid0}, 4242, python3 -m vllm.entrypoints.openai.api_server, 70000\n${uuid0}, 4243, /usr/bin/a,b, [N/A]\nbad line\n`,
	);
	const [gpu] = withProcesses(
		gpusOf(`0, ${uuid0}, A, 0, 1, 2, 3, 4, 5, 6, 7, 0x0, 0`),
		apps,
	);
	assert.deepEqual(gpu?.processes, [
		{
			pid: 4242,
			name: 'python3 -m vllm.entrypoints.openai.api_server',
			used_memory_mib: 70_000,
		},
		{pid: 4243, name: '/usr/bin/a,b', used_memory_mib: null},
	]);
});

test('a DCGM exporter page of the documented default counters maps every field, per GPU', () => {
	const text = readFileSync(
		new URL('fixtures/dcgm-exporter-default.txt', import.meta.url),
		'utf8',
	);
	const parsed = parseExposition(text, 'text');
	assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
	const gpus = gpusFromDcgm(parsed.page);
	assert.equal(gpus.length, 2);
	const [first, second] = gpus;
	assert.deepEqual(first, {
		index: 0,
		uuid: uuid0,
		name: 'NVIDIA H100 80GB HBM3',
		host: 'gpu-node-7',
		utilization: 0.87,
		sm_active: 0.82,
		tensor_active: 0.41,
		dram_active: 0.63,
		memory_used_mib: 71_234,
		memory_total_mib: 71_234 + 9876 + 449,
		power_w: 512.25,
		power_limit_w: 700,
		temperature_c: 64,
		sm_clock_mhz: 1980,
		sm_clock_max_mhz: 1980,
		throttle_reasons: [],
		xid_last: 0,
		ecc_uncorrected: 0,
		nvlink_bytes_total: 1_048_576_000,
		processes: [],
	});
	for (const [field, value] of Object.entries(second ?? {})) {
		assert.notEqual(value, null, `${field} is mapped`);
	}

	assert.equal(second?.xid_last, 79);
	assert.deepEqual(second?.throttle_reasons, ['sw_thermal', 'hw_thermal']);
	assert.equal(second?.ecc_uncorrected, 2);
});

test('a page without DCGM fields has no GPUs; GPUs on two hosts stay apart', () => {
	const none = parseExposition('vllm:num_requests_running 1\n', 'text');
	assert.ok(none.ok);
	assert.deepEqual(gpusFromDcgm(none.page), []);
	const two = parseExposition(
		'DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-a",Hostname="b"} 50\nDCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-c",Hostname="a"} 60\n',
		'text',
	);
	assert.ok(two.ok);
	assert.deepEqual(
		gpusFromDcgm(two.page).map(gpu => [gpu.host, gpu.temperature_c]),
		[
			['a', 60],
			['b', 50],
		],
	);
});
