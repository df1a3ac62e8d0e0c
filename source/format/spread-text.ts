/**
The spread of the gauges across data-parallel engines, as `KV cache 10.0%–95.0%`: the overview and `--once` show it
when there is more than one engine, so one full engine is not hidden by the mean.
*/
import type {SignalCatalog} from '../catalog/signals.js';
import type {EngineSpread} from '../derive/snapshot.js';
import {formatNumber} from './units.js';

export type SpreadPart = {
	readonly key: string;
	readonly label: string;
	readonly text: string;
	readonly spread: EngineSpread;
};

/** One part per gauge with a `column` (the per-engine table's), in catalog order. */
export function spreadParts(
	spread: Readonly<Record<string, EngineSpread>> | null,
	catalog: SignalCatalog,
	ascii = false,
): readonly SpreadPart[] {
	if (spread === null) {
		return [];
	}

	const dash = ascii ? '-' : '–';
	return catalog.flatMap(signal => {
		const range = spread[signal.key];
		if (range === undefined || signal.column === undefined) {
			return [];
		}

		const format = signal.format ?? formatNumber;
		return [
			{
				key: signal.key,
				label: signal.label,
				text: `${format(range.min)}${dash}${format(range.max)}`,
				spread: range,
			},
		];
	});
}

/** `KV cache 10.0%–95.0% (max engine 0)  Running 3–40 (max engine 0)`. */
export function spreadLine(parts: readonly SpreadPart[]): string {
	return parts
		.map(
			part =>
				`${part.label} ${part.text} (max engine ${part.spread.max_engine})`,
		)
		.join('  ');
}
