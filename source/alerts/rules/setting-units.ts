/** A rule setting's default with its unit, which says how `--threshold` and the config read it and how it prints. */
export const count = (value: number) =>
	({default: value, unit: 'count'}) as const;
export const fraction = (value: number) =>
	({default: value, unit: 'fraction'}) as const;
export const perSecond = (value: number) =>
	({default: value, unit: 'per_second'}) as const;
export const seconds = (value: number) =>
	({default: value, unit: 'seconds'}) as const;
export const ms = (value: number) => ({default: value, unit: 'ms'}) as const;
