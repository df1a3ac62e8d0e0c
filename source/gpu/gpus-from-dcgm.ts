/**
Maps a parsed DCGM exporter page to one reading per GPU, grouped by host, UUID and `gpu` index. Pure.
*/
import {printable} from '../format/printable.js';
import type {Labels, Page} from '../parse/page.js';
import {dcgmField, dcgmLabel} from './dcgm-fields.js';
import {emptyReading, type GpuReading} from './gpu-reading.js';
import {throttleReasonsOf} from './throttle-reasons.js';

type Values = Map<string, number>;
type Device = {labels: Labels; values: Values};

const maxDevices = 256;
const maxLabel = 96;

function clean(text: string | undefined): string | null {
	if (text === undefined || text === '') {
		return null;
	}

	return printable(text.slice(0, maxLabel));
}

function deviceKey(labels: Labels): string | undefined {
	const gpu = labels[dcgmLabel.gpu];
	if (gpu === undefined) {
		return undefined;
	}

	return [labels[dcgmLabel.host] ?? '', labels[dcgmLabel.uuid] ?? '', gpu].join(
		'\u0000',
	);
}

function collect(page: Page): Map<string, Device> {
	const devices = new Map<string, Device>();
	const wanted = new Set<string>(Object.values(dcgmField));
	for (const name of wanted) {
		for (const sample of page.byName.get(name) ?? []) {
			const key = deviceKey(sample.labels);
			if (key === undefined || !Number.isFinite(sample.value)) {
				continue;
			}

			let device = devices.get(key);
			if (device === undefined) {
				if (devices.size >= maxDevices) {
					continue;
				}

				device = {labels: sample.labels, values: new Map()};
				devices.set(key, device);
			}

			// Several samples of one field on one GPU (per-process labels): keep the largest.
			device.values.set(
				name,
				Math.max(
					sample.value,
					device.values.get(name) ?? Number.NEGATIVE_INFINITY,
				),
			);
		}
	}

	return devices;
}

function toReading({labels, values}: Device): GpuReading {
	const value = (name: string) => values.get(name) ?? null;
	const index = Number(labels[dcgmLabel.gpu]);
	const used = value(dcgmField.fbUsed);
	const free = value(dcgmField.fbFree);
	const total =
		used === null || free === null
			? null
			: used + free + (value(dcgmField.fbReserved) ?? 0);
	const util = value(dcgmField.gpuUtil);
	const mask = value(dcgmField.throttle) ?? value(dcgmField.clocksEvent);
	return emptyReading(
		Number.isInteger(index) ? index : 0,
		clean(labels[dcgmLabel.model]) ?? `GPU ${labels[dcgmLabel.gpu]}`,
		{
			uuid: clean(labels[dcgmLabel.uuid]),
			host: clean(labels[dcgmLabel.host]),
			utilization: util === null ? null : util / 100,
			sm_active: value(dcgmField.smActive),
			tensor_active: value(dcgmField.tensorActive),
			dram_active: value(dcgmField.dramActive),
			memory_used_mib: used,
			memory_total_mib: total,
			power_w: value(dcgmField.power),
			power_limit_w: value(dcgmField.powerLimit),
			temperature_c: value(dcgmField.temperature),
			sm_clock_mhz: value(dcgmField.smClock),
			sm_clock_max_mhz: value(dcgmField.smClockMax),
			throttle_reasons: mask === null ? null : throttleReasonsOf(mask),
			xid_last: value(dcgmField.xid),
			ecc_uncorrected: value(dcgmField.eccDbe),
			nvlink_bytes_total: value(dcgmField.nvlink),
		},
	);
}

/** One reading per GPU on the page, ordered by host then index; empty when the page has no DCGM fields. */
export function gpusFromDcgm(page: Page): GpuReading[] {
	return [...collect(page).values()]
		.map(device => toReading(device))
		.toSorted(
			(a, b) => (a.host ?? '').localeCompare(b.host ?? '') || a.index - b.index,
		);
}
