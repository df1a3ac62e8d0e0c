/**
Clock throttle reasons: the bit mask NVML defines (`nvmlClocksThrottleReasons` in nvml.h), which both
`nvidia-smi --query-gpu=clocks_throttle_reasons.active` and DCGM's `DCGM_FI_DEV_CLOCK_THROTTLE_REASONS` report.
*/
export const throttleBits = {
	idle: 0x1,
	app_clocks: 0x2,
	sw_power_cap: 0x4,
	hw_slowdown: 0x8,
	sync_boost: 0x10,
	sw_thermal: 0x20,
	hw_thermal: 0x40,
	hw_power_brake: 0x80,
	display_clock: 0x1_00,
} as const;

export type ThrottleReason = keyof typeof throttleBits;

const reasonNames: readonly ThrottleReason[] = [
	'idle',
	'app_clocks',
	'sw_power_cap',
	'hw_slowdown',
	'sync_boost',
	'sw_thermal',
	'hw_thermal',
	'hw_power_brake',
	'display_clock',
];

/** Reasons that mean the GPU runs slower because it is too hot. */
export const thermalReasons: readonly ThrottleReason[] = [
	'sw_thermal',
	'hw_thermal',
];
/** Reasons that mean the GPU runs slower because it draws too much power. */
export const powerReasons: readonly ThrottleReason[] = [
	'sw_power_cap',
	'hw_power_brake',
];

/** The named reasons set in a mask, idle left out: an idle GPU is not held back. */
export function throttleReasonsOf(mask: number): ThrottleReason[] {
	return reasonNames.filter(
		name => name !== 'idle' && (mask & throttleBits[name]) !== 0,
	);
}

/** `0x0000000000000004` (nvidia-smi) or a decimal number (DCGM) as a mask; undefined when it is neither. */
export function parseThrottleMask(text: string): number | undefined {
	const trimmed = text.trim();
	if (/^0x[\da-f]{1,16}$/i.test(trimmed)) {
		// Only the low bits carry reasons; Number keeps them exactly.
		return Number.parseInt(trimmed.slice(-8), 16);
	}

	if (/^\d{1,16}$/.test(trimmed)) {
		return Number(trimmed);
	}

	return undefined;
}

/** Whether the reasons include thermal or power throttling. */
export function throttleKind(
	reasons: readonly ThrottleReason[] | null,
): 'thermal' | 'power' | null {
	if (reasons === null) {
		return null;
	}

	if (reasons.some(reason => thermalReasons.includes(reason))) {
		return 'thermal';
	}

	return reasons.some(reason => powerReasons.includes(reason)) ? 'power' : null;
}
