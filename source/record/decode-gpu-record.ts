/**
A GPU record read back, checked field for field with zod. Apart from `gpu-record.ts`, which writes it, so recording
(and the start-up of every live view) does not load the schema library.
*/
import {z} from 'zod';
import type {GpuReading} from '../gpu/gpu-reading.js';
import {throttleBits, type ThrottleReason} from '../gpu/throttle-reasons.js';
import type {RecordedGpu} from './gpu-record.js';

const reason = z.custom<ThrottleReason>(
	value => typeof value === 'string' && Object.hasOwn(throttleBits, value),
	'is not a throttle reason',
);
const count = z.number().nullable();

/** Every field of a `GpuReading`: the compiler checks the schema against the type below. */
const reading = z.strictObject({
	index: z.number().int().min(0),
	uuid: z.string().nullable(),
	name: z.string(),
	host: z.string().nullable(),
	utilization: count,
	sm_active: count,
	tensor_active: count,
	dram_active: count,
	memory_used_mib: count,
	memory_total_mib: count,
	power_w: count,
	power_limit_w: count,
	temperature_c: count,
	sm_clock_mhz: count,
	sm_clock_max_mhz: count,
	throttle_reasons: z.array(reason).nullable(),
	xid_last: count,
	ecc_uncorrected: count,
	nvlink_bytes_total: count,
	processes: z.array(
		z.strictObject({pid: z.number(), name: z.string(), used_memory_mib: count}),
	),
}) satisfies z.ZodType<GpuReading>;

const outcome = z.discriminatedUnion('ok', [
	z.object({ok: z.literal(true), gpus: z.array(reading)}),
	z.object({ok: z.literal(false), error: z.string()}),
]);

const line = z.object({
	source: z.string(),
	names: z.array(z.string()),
});

/** The record from a parsed line whose `at` has been read; an error names the first field that is wrong. */
export function decodeGpu(parsed: unknown, at: number): RecordedGpu | string {
	const where = line.safeParse(parsed);
	const answer = outcome.safeParse(parsed);
	const problem = where.success ? answer.error : where.error;
	if (problem !== undefined || !where.success || !answer.success) {
		const issue = problem?.issues[0];
		const field = issue?.path.map(String).join('.') ?? '';
		return `GPU record: field "${field}" ${issue?.message ?? 'is wrong'}`;
	}

	return {
		type: 'gpu',
		at,
		source: where.data.source,
		names: where.data.names,
		outcome: answer.data,
	};
}
