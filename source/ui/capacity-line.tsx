import type {Capacity} from '../derive/snapshot.js';
import {formatCount, formatTokens, missing} from '../format/units.js';
import type {Segment} from './line.js';
import {Lines} from './lines.js';

export type CapacityLineProps = {
	readonly capacity: Capacity | null;
	readonly width: number;
	/**
	Rows to use: 1 gives the summary line, more add headroom and Little's-law detail (the alerts view).

	@default 1
	*/
	readonly rows?: number;
};

const pair = (name: string, value: string, unit = ''): Segment[] => [
	{text: name === '' ? '' : `${name} `, tone: 'dim'},
	value === missing
		? {text: missing, tone: 'dim'}
		: {text: value + unit, bold: true},
];

const separator: Segment = {text: ' · ', tone: 'dim'};

/** How many requests the KV pool holds at the current request size, and the --max-num-seqs that follows. */
export function CapacityLine({capacity, width, rows = 1}: CapacityLineProps) {
	if (rows <= 0) {
		return null;
	}

	const unknown = capacity?.kv_pool_unknown ?? null;
	// No ceiling or suggestion is drawn from a pool that is not the pool: the reason, then what is known.
	const summary: Segment[] =
		unknown === null
			? [
					{text: 'Capacity ', bold: true},
					...pair('KV', formatTokens(capacity?.kv_pool_tokens), ' tok'),
					separator,
					...pair(
						'avg',
						formatTokens(capacity?.avg_tokens_per_request),
						' tok/req',
					),
					separator,
					...pair(
						'ceiling',
						formatCount(capacity?.concurrency_ceiling),
						' req',
					),
					separator,
					...pair(
						'suggest --max-num-seqs',
						formatCount(capacity?.suggested_max_num_seqs),
					),
				]
			: [
					{text: 'Capacity ', bold: true},
					{text: unknown, tone: 'warn'},
					separator,
					...pair(
						'avg',
						formatTokens(capacity?.avg_tokens_per_request),
						' tok/req',
					),
				];
	const detail: Segment[][] = [
		[
			{text: '  '},
			...pair('avg prompt', formatTokens(capacity?.avg_prompt_tokens), ' tok'),
			separator,
			...pair(
				'avg generation',
				formatTokens(capacity?.avg_generation_tokens),
				' tok',
			),
		],
		[
			{text: '  '},
			...pair('headroom', formatTokens(capacity?.headroom_tokens), ' tok'),
			separator,
			...pair('', formatCount(capacity?.headroom_requests), ' req'),
			separator,
			...pair(
				"Little's law concurrency",
				formatCount(capacity?.littles_law_concurrency),
			),
		],
	];
	return <Lines rows={[summary, ...detail].slice(0, rows)} width={width} />;
}
