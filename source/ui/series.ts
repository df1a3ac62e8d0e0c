/**
How each history series is labelled, formatted, coloured, scaled and placed, read off the signal catalog and shared
by charts and sparkline rows so both say the same thing.
*/
import type {HistorySpec} from '../catalog/signal-def.js';
import {specDecodeText, type SeriesId} from '../catalog/signal-types.js';
import {signalCatalog} from '../catalog/signals.js';
import {formatNumber} from '../format/units.js';
import type {Tone} from './theme.js';

export type SeriesSpec = {
	readonly label: string;
	/** The label while speculative decoding runs (`ITL/step p95`: ITL then times engine steps). */
	readonly specDecodeLabel: string;
	/** The signal's own short name (`TTFT`), for a series inside a chart. */
	readonly name: string;
	readonly format: (value: number | null) => string;
	readonly tone: Tone;
	/** Fixed scale, for fractions. */
	readonly min?: number;
	readonly max?: number;
} & Pick<
	HistorySpec,
	'v0Label' | 'rank' | 'chart' | 'chartLabel' | 'onlyOn' | 'replaces'
>;

type Entry = (typeof signalCatalog)[number];

const entries = signalCatalog.flatMap(
	(signal: Entry): Array<readonly [SeriesId, SeriesSpec]> => {
		if (!('history' in signal)) {
			return [];
		}

		const {history} = signal;
		return [
			[
				signal.history.id,
				{
					...history,
					specDecodeLabel:
						specDecodeText(signal, history.label, true) ?? history.label,
					name: signal.label,
					format: signal.format ?? formatNumber,
					tone: 'tone' in signal ? signal.tone : 'first',
				},
			],
		];
	},
);

// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- one entry per series id
export const seriesSpecs = Object.fromEntries(entries) as Readonly<
	Record<SeriesId, SeriesSpec>
>;

/** The label of a series on a server of this generation (V0 says TPOT for ITL), with spec decode per step. */
export function seriesLabel(
	id: SeriesId,
	generation: 'v0' | 'v1' | null,
	specDecode = false,
): string {
	const spec = seriesSpecs[id];
	if (generation === 'v0') {
		return spec.v0Label ?? spec.label;
	}

	return specDecode ? spec.specDecodeLabel : spec.label;
}

/** Every series in overview order: the most important first. */
export const sparkOrder: readonly SeriesId[] = entries
	.toSorted(([, a], [, b]) => a.rank - b.rank)
	.map(([id]) => id);

/**
The series that show, given what each has had: one that `replaces` another shows (and hides that one) once it has
had a value, and not before.
*/
export function shownSeries(
	ids: readonly SeriesId[],
	hasHadValue: (id: SeriesId) => boolean,
): readonly SeriesId[] {
	const replaced = new Set<string>();
	for (const id of ids) {
		const {replaces} = seriesSpecs[id];
		if (replaces !== undefined && hasHadValue(id)) {
			replaced.add(replaces);
		}
	}

	return ids.filter(
		id =>
			!replaced.has(id) &&
			(seriesSpecs[id].replaces === undefined || hasHadValue(id)),
	);
}

/** The series one overview chart draws, in catalog order. */
export function chartSeries(
	chart: NonNullable<HistorySpec['chart']>,
): readonly SeriesId[] {
	return entries.filter(([, spec]) => spec.chart === chart).map(([id]) => id);
}
