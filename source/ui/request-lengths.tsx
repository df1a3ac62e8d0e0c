import type {Breakdown} from '../catalog/signal-values.js';
import type {Quantiles, Signals} from '../derive/snapshot.js';
import {lengthBuckets, occupiedBuckets} from '../format/length-buckets.js';
import {sparkline} from '../format/sparkline.js';
import {formatCount, missing} from '../format/units.js';
import {useDisplay} from './display-context.js';
import {Lines} from './lines.js';
import type {Segment} from './styled-row.js';

export type RequestLengthsProps = {
	readonly prompt: Quantiles | null;
	readonly generation: Quantiles | null;
	/** Cumulative finished requests per second by `le`, between the last two scrapes. */
	readonly promptHistogram: Breakdown | null;
	readonly generationHistogram: Breakdown | null;
	readonly width: number;
	/** 0 hides the block, 1 shows prompts only. */
	readonly rows: number;
};

/** The quantiles the block shows: the median and the tail. */
const stats = ['p50', 'p90'] as const;

/** A length quantile in tokens; one a bucket bound decides reads `<2` or `>5000`. */
function tokens(
	quantiles: Quantiles | null,
	key: (typeof stats)[number],
): string {
	const value = quantiles?.[key] ?? null;
	const bound = quantiles?.bounded?.[key];
	if (bound && value !== null) {
		return `${bound.side === 'below' ? '<' : '>'}${formatCount(bound.bound)}`;
	}

	return formatCount(value);
}

function row(
	name: string,
	quantiles: Quantiles | null,
	histogram: Breakdown | null,
	ascii: boolean,
): Segment[] {
	const buckets = occupiedBuckets(lengthBuckets(histogram));
	const segments: Segment[] = [{text: name.padEnd(12), bold: true}];
	for (const stat of stats) {
		segments.push(
			{text: `${stat} `, tone: 'dim'},
			{text: tokens(quantiles, stat).padEnd(7)},
		);
	}

	if (buckets.length === 0) {
		return [...segments, {text: missing, tone: 'dim'}];
	}

	const first = buckets[0]?.upper ?? 0;
	const last = buckets.at(-1)?.upper ?? 0;
	const upTo = ascii ? '<=' : '≤';
	return [
		...segments,
		{
			text: sparkline(
				buckets.map(bucket => bucket.count),
				{ascii},
			),
			tone: 'info',
		},
		{
			text: ` ${upTo}${formatCount(first)}..${Number.isFinite(last) ? `${upTo}${formatCount(last)}` : 'more'}`,
			tone: 'dim',
		},
	];
}

/** Prompt and output lengths of the finished requests: median, tail and a one-line histogram of the buckets. */
/** The lengths block's readings, off a snapshot's signals. */
export function requestLengths(
	signals: Signals | null,
): Omit<RequestLengthsProps, 'width' | 'rows'> {
	return {
		prompt: signals?.prompt_length_tokens ?? null,
		generation: signals?.generation_length_tokens ?? null,
		promptHistogram: signals?.prompt_length_histogram ?? null,
		generationHistogram: signals?.generation_length_histogram ?? null,
	};
}

export function RequestLengths({
	prompt,
	generation,
	promptHistogram,
	generationHistogram,
	width,
	rows,
}: RequestLengthsProps) {
	const {ascii} = useDisplay();
	const lines = [
		row('Prompt len', prompt, promptHistogram, ascii),
		row('Output len', generation, generationHistogram, ascii),
	].slice(0, Math.max(0, rows));
	return lines.length === 0 ? null : <Lines rows={lines} width={width} />;
}
