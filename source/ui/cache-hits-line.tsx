import {specDecodeRunning} from '../catalog/signal-types.js';
import type {Signals} from '../derive/snapshot.js';
import {formatBreakdown} from '../format/breakdown-text.js';
import {formatNumber, formatPercent} from '../format/units.js';
import {Line, type Segment} from './line.js';

export type CacheHitsLineProps = {
	readonly signals: Signals | null;
	readonly width: number;
};

const separator: Segment = {text: ' · ', tone: 'dim'};

const pair = (name: string, value: string): Segment[] => [
	{text: `${name} `, bold: name === 'prefix hit'},
	{text: value, bold: true},
];

/** Whether the line has anything to say: a prefix-cache hit rate, spec decode, or prompt tokens split by source. */
export function hasCacheHits(signals: Signals | null): boolean {
	return (
		signals !== null &&
		(signals.prefix_cache_hit_rate !== null ||
			specDecodeRunning(signals) ||
			signals.prompt_tokens_by_source_per_s !== null)
	);
}

/**
What the caches save at a glance: the prefix-cache hit rate, prompt tokens by where they came from (computed, cache
hit, transferred), and with spec decode the acceptance rate, mean acceptance length and acceptance by draft position.
*/
export function CacheHitsLine({signals, width}: CacheHitsLineProps) {
	if (signals === null || !hasCacheHits(signals)) {
		return null;
	}

	const parts: Segment[][] = [];
	if (signals.prefix_cache_hit_rate !== null) {
		parts.push(
			pair('prefix hit', formatPercent(signals.prefix_cache_hit_rate)),
		);
	}

	const bySource = signals.prompt_tokens_by_source_per_s;
	if (bySource !== null) {
		parts.push(
			pair(
				'prompt tok/s: prefill',
				formatNumber(bySource['local_compute'] ?? null),
			),
			pair('cache hit', formatNumber(bySource['local_cache_hit'] ?? null)),
			...(bySource['external_kv_transfer']
				? [pair('transfer', formatNumber(bySource['external_kv_transfer']))]
				: []),
		);
	}

	if (specDecodeRunning(signals)) {
		parts.push(
			pair(
				'spec decode accepted',
				formatPercent(signals.spec_decode_acceptance_rate),
			),
			pair(
				'mean length',
				formatNumber(signals.spec_decode_mean_acceptance_length),
			),
		);
		if (signals.spec_decode_acceptance_by_position !== null) {
			parts.push(
				pair(
					'by position',
					formatBreakdown(
						signals.spec_decode_acceptance_by_position,
						formatPercent,
					),
				),
			);
		}
	}

	const segments: Segment[] = [];
	for (const [index, part] of parts.entries()) {
		segments.push(...(index === 0 ? [] : [separator]), ...part);
	}

	return <Line segments={segments} width={width} />;
}
