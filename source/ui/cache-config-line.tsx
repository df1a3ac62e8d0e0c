import type {CacheConfig} from '../derive/snapshot.js';
import {
	formatCount,
	formatPercent,
	formatTokens,
	missing,
} from '../format/units.js';
import {Line, type Segment} from './line.js';

export type CacheConfigLineProps = {
	readonly cacheConfig: CacheConfig | null;
	readonly width: number;
};

const separator: Segment = {text: ' · ', tone: 'dim'};

function onOff(value: boolean | null): string {
	if (value === null) {
		return missing;
	}

	return value ? 'on' : 'off';
}

/** The engine's KV-cache settings (`vllm:cache_config_info`), the numbers behind the capacity line. */
export function CacheConfigLine({
	cacheConfig: config,
	width,
}: CacheConfigLineProps) {
	const pair = (name: string, value: string, unit = ''): Segment[] => [
		{text: `${name} `, tone: 'dim'},
		value === missing ? {text: missing, tone: 'dim'} : {text: value + unit},
	];
	const segments: Segment[] = [
		{text: 'Cache ', bold: true},
		...pair('block', formatCount(config?.block_size)),
		separator,
		...pair('GPU blocks', formatCount(config?.num_gpu_blocks)),
		separator,
		...(config?.kv_cache_size_tokens === null && config.block_tokens !== null
			? pair('blocks x size', formatTokens(config.block_tokens), ' tok')
			: pair('pool', formatTokens(config?.kv_cache_size_tokens), ' tok')),
		separator,
		...pair('prefix caching', onOff(config?.enable_prefix_caching ?? null)),
		separator,
		...pair('gpu mem', formatPercent(config?.gpu_memory_utilization)),
		separator,
		...pair('dtype', config?.cache_dtype ?? missing),
	];
	return <Line segments={segments} width={width} />;
}
