/**
GPU rules: what the GPUs under the server report (clock throttling, XID and ECC errors), and two hints that read the
GPUs beside vLLM's own signals to say where the bottleneck is. Their PromQL reads the DCGM exporter's families, which
Prometheus scrapes as a job of their own: it cannot tell which GPUs serve which server, so the cross-signal hints
compare a server with the mean of every GPU it sees.
*/
import {dcgmField} from '../../gpu/dcgm-fields.js';
import {type GpuReading, meanBusy} from '../../gpu/gpu-reading.js';
import {
	powerReasons,
	thermalReasons,
	throttleBits,
	throttleKind,
} from '../../gpu/throttle-reasons.js';
import {xidText} from '../../gpu/xid-names.js';
import type {Signals} from '../../derive/snapshot.js';
import {formatNumber, formatPercent} from '../alert-text.js';
import {
	levelAbove,
	levelBelow,
	verdict,
	type RuleContext,
	type Verdict,
} from '../rule-context.js';
import {defineRule} from './rule-def.js';
import {count, fraction, seconds} from './setting-units.js';

const perGpu = 'Hostname, gpu';

/** The readings to judge: absent source clears the rule, a failed poll keeps its state. */
function readingsOf(context: RuleContext): readonly GpuReading[] | Verdict {
	const {gpus} = context.input;
	if (gpus === undefined || (gpus !== null && gpus.length === 0)) {
		return {kind: 'clear'};
	}

	return gpus ?? {kind: 'unknown'};
}

function isVerdict(value: readonly GpuReading[] | Verdict): value is Verdict {
	return !Array.isArray(value);
}

/** The GPUs' mean busy fraction, or the verdict when there is none to judge. */
function meanBusyOf(context: RuleContext): number | Verdict {
	const gpus = readingsOf(context);
	if (isVerdict(gpus)) {
		return gpus;
	}

	return meanBusy(gpus) ?? {kind: 'clear'};
}

function gpuName(gpu: GpuReading): string {
	return gpu.host === null
		? `GPU ${gpu.index}`
		: `${gpu.host} GPU ${gpu.index}`;
}

/** PromQL: 1 where any of the mask's bits for these reasons is set. */
function bitsSet(reasons: ReadonlyArray<keyof typeof throttleBits>): string {
	const mask = dcgmField.throttle;
	return reasons
		.map(reason => `(floor(${mask} / ${throttleBits[reason]}) % 2)`)
		.join(' + ');
}

export const gpuThrottling = defineRule({
	id: 'gpu_throttling',
	severity: 'warn',
	doc: 'a GPU holds its clocks down for heat or power (thermal or power throttle reasons) for 30 s',
	inputs: ['gpus.throttle_reasons'],
	settings: {for: seconds(30)},
	promql: () =>
		`max by (${perGpu}) (${bitsSet([...thermalReasons, ...powerReasons])}) > 0`,
	needsSignals: false,
	check(context: RuleContext): Verdict {
		const gpus = readingsOf(context);
		if (isVerdict(gpus)) {
			return gpus;
		}

		const throttled = gpus.filter(
			gpu => throttleKind(gpu.throttle_reasons) !== null,
		);
		const first = throttled[0];
		if (first === undefined) {
			return {kind: 'clear'};
		}

		const kind = throttleKind(first.throttle_reasons);
		const clocks =
			first.sm_clock_mhz === null || first.sm_clock_max_mhz === null
				? ''
				: `, SM clock ${formatNumber(first.sm_clock_mhz)}/${formatNumber(first.sm_clock_max_mhz)} MHz`;
		const temperature =
			first.temperature_c === null
				? ''
				: ` at ${formatNumber(first.temperature_c)} °C`;
		const others =
			throttled.length > 1 ? ` (+${throttled.length - 1} more)` : '';
		return verdict(
			'fire',
			`${gpuName(first)} throttled (${kind}: ${(first.throttle_reasons ?? []).join(', ')})${temperature}${clocks}${others}`,
			kind === 'thermal'
				? 'the GPU is too hot and slows every step: check its fans, airflow and the room, and nvidia-smi -q -d TEMPERATURE'
				: 'the GPU is at its power limit and lowers its clocks: see nvidia-smi -q -d POWER; a higher limit (nvidia-smi -pl) helps only if the board allows it',
		);
	},
});

export const gpuXid = defineRule({
	id: 'gpu_xid',
	severity: 'crit',
	doc: 'a GPU reports an XID error (names it); DCGM only',
	inputs: ['gpus.xid_last'],
	settings: {for: seconds(0)},
	promql: () => `max by (${perGpu}) (${dcgmField.xid}) > 0`,
	needsSignals: false,
	check(context: RuleContext): Verdict {
		const gpus = readingsOf(context);
		if (isVerdict(gpus)) {
			return gpus;
		}

		const failing = gpus.find(gpu => (gpu.xid_last ?? 0) > 0);
		return failing === undefined
			? {kind: 'clear'}
			: verdict(
					'fire',
					`${gpuName(failing)} reported ${xidText(failing.xid_last ?? 0)}`,
					'a driver-reported GPU fault: read it in the kernel log (dmesg | grep -i xid); most need the vLLM process restarted, some a GPU reset',
				);
	},
});

export const gpuEccUncorrected = defineRule({
	id: 'gpu_ecc_uncorrected',
	severity: 'crit',
	doc: 'a GPU counts uncorrectable (double-bit) ECC errors since the driver loaded',
	inputs: ['gpus.ecc_uncorrected'],
	direction: 'above',
	settings: {value: count(0), clear: count(0), for: seconds(0)},
	promql: (_q, t) => `max by (${perGpu}) (${dcgmField.eccDbe}) > ${t['value']}`,
	needsSignals: false,
	check(context: RuleContext): Verdict {
		const gpus = readingsOf(context);
		if (isVerdict(gpus)) {
			return gpus;
		}

		const {value, clear} = context.config.thresholds.gpu_ecc_uncorrected;
		const worst = gpus.reduce<GpuReading | undefined>(
			(most, gpu) =>
				(gpu.ecc_uncorrected ?? -1) > (most?.ecc_uncorrected ?? -1)
					? gpu
					: most,
			undefined,
		);
		const errors = worst?.ecc_uncorrected ?? null;
		if (worst === undefined || errors === null) {
			return {kind: 'clear'};
		}

		return verdict(
			levelAbove(errors, value, clear),
			`${gpuName(worst)} has ${formatNumber(errors)} uncorrectable ECC errors`,
			'its memory returned data it could not correct: drain the server and reset the GPU (nvidia-smi -r), or replace it if they come back',
		);
	},
});

export const gpuIdleWhileWaiting = defineRule({
	id: 'gpu_idle_while_waiting',
	severity: 'info',
	doc: 'requests wait while mean SM active (utilization without DCGM) < 50 % and the KV cache has room, for 60 s',
	inputs: ['requests_waiting', 'kv_cache_usage', 'gpus.sm_active'],
	direction: 'below',
	settings: {
		value: fraction(0.5),
		clear: fraction(0.6),
		waiting: count(0),
		for: seconds(60),
	},
	promql: (q, t) =>
		`${q.signal('requests_waiting')} > ${t['waiting']} and on () avg(${dcgmField.smActive}) < ${t['value']}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const busy = meanBusyOf(context);
		if (typeof busy !== 'number') {
			return busy;
		}

		const waiting = signals.requests_waiting;
		const settings = context.config.thresholds.gpu_idle_while_waiting;
		const kv = signals.kv_cache_usage ?? 0;
		// A full KV cache explains the wait on its own: that is kv_cache_pressure's to say.
		if (
			waiting === null ||
			waiting <= settings.waiting ||
			kv > context.config.thresholds.kv_cache_pressure.value
		) {
			return {kind: 'clear'};
		}

		return verdict(
			levelBelow(busy, settings.value, settings.clear),
			`${formatNumber(waiting)} requests wait while the GPUs are ${formatPercent(busy)} busy`,
			'the bottleneck is not the GPU: look at the CPU side (tokenizer, scheduler, API server: top -H on the vllm processes) and the batch limits (--max-num-seqs, --max-num-batched-tokens)',
		);
	},
});

export const gpuComputeBound = defineRule({
	id: 'gpu_compute_bound',
	severity: 'info',
	doc: 'mean SM active > 90 % with the KV cache < 50 % full, for 60 s',
	inputs: ['kv_cache_usage', 'gpus.sm_active'],
	direction: 'above',
	settings: {
		value: fraction(0.9),
		clear: fraction(0.8),
		kv_below: fraction(0.5),
		for: seconds(60),
	},
	promql: (q, t) =>
		`${q.signal('kv_cache_usage')} < ${t['kv_below']} and on () avg(${dcgmField.smActive}) > ${t['value']}`,
	needsSignals: true,
	check(context: RuleContext, signals: Signals): Verdict {
		const busy = meanBusyOf(context);
		if (typeof busy !== 'number') {
			return busy;
		}

		const kv = signals.kv_cache_usage;
		const settings = context.config.thresholds.gpu_compute_bound;
		if (kv === null || kv >= settings.kv_below) {
			return {kind: 'clear'};
		}

		return verdict(
			levelAbove(busy, settings.value, settings.clear),
			`GPUs ${formatPercent(busy)} busy with the KV cache ${formatPercent(kv)} full`,
			'compute-bound, not memory-bound: a smaller --max-num-batched-tokens keeps decode steps short; for more throughput add replicas',
		);
	},
});
