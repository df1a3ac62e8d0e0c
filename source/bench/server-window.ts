import {deriveCapacity} from '../derive/capacity.js';
import {readCacheConfig} from '../derive/cache-config.js';
import {type Bucket, bucketQuantile} from '../derive/histogram-quantile.js';
import {vllmMetric} from '../catalog/vllm-metrics.js';
import type {Page} from '../parse/page.js';
import {parseFloatValue} from '../parse/parse-float.js';

/**
The server's side of a run: counter and histogram increases between the page before and the page after, the KV peak
seen in between. Pure; it reads vLLM's metric names from the one place that defines them.
*/

export type ServerWindow = {
	/** Requests that finished without abort. */
	readonly finished: number;
	readonly promptTokens: number;
	readonly generationTokens: number;
	readonly ttftP50Ms: number | undefined;
	readonly ttftP99Ms: number | undefined;
	/** Share of the server's TTFT spent queued. */
	readonly queueShareOfTtft: number | undefined;
	readonly kvPeak: number | undefined;
	readonly preemptions: number;
	/** Requests the KV pool holds at this run's request shape. */
	readonly concurrencyCeiling: number | undefined;
};

function sum(
	page: Page,
	name: string,
	keep = (_: Record<string, string>) => true,
): number {
	return (page.byName.get(name) ?? [])
		.filter(sample => keep(sample.labels))
		.reduce((total, sample) => total + sample.value, 0);
}

function delta(
	before: Page,
	after: Page,
	name: string,
	keep?: (labels: Record<string, string>) => boolean,
): number {
	return sum(after, name, keep) - sum(before, name, keep);
}

function firstPresent(
	page: Page,
	names: readonly string[],
): string | undefined {
	return names.find(name => page.byName.has(`${name}_count`));
}

/** Bucket increases summed over engines and models, by `le`. */
function bucketDelta(before: Page, after: Page, base: string): Bucket[] {
	const byBound = new Map<number, number>();
	const add = (page: Page, sign: number) => {
		for (const sample of page.byName.get(`${base}_bucket`) ?? []) {
			const bound = parseFloatValue(sample.labels['le'] ?? '') ?? Number.NaN;
			byBound.set(bound, (byBound.get(bound) ?? 0) + sign * sample.value);
		}
	};

	add(after, 1);
	add(before, -1);
	return [...byBound]
		.map(([upperBound, count]) => ({upperBound, count}))
		.toSorted((a, b) => a.upperBound - b.upperBound);
}

function quantileMs(buckets: readonly Bucket[], q: number): number | undefined {
	const value = bucketQuantile(q, buckets);
	return Number.isFinite(value) ? value * 1000 : undefined;
}

const notAborted = (labels: Record<string, string>) =>
	labels['finished_reason'] !== 'abort';

export function serverWindow(
	before: Page,
	after: Page,
	kvSamples: readonly number[],
	seconds: number,
): ServerWindow {
	const ttftName = firstPresent(after, vllmMetric.latency.ttft);
	const queueName = firstPresent(after, vllmMetric.latency.queue);
	const buckets = ttftName ? bucketDelta(before, after, ttftName) : [];
	const ttftSum = ttftName ? delta(before, after, `${ttftName}_sum`) : 0;
	const queueSum = queueName ? delta(before, after, `${queueName}_sum`) : 0;
	const finished = delta(before, after, vllmMetric.requestSuccess, notAborted);
	const promptTokens = delta(before, after, vllmMetric.promptTokens);
	const generationTokens = delta(before, after, vllmMetric.generationTokens);
	const cache = readCacheConfig(after);
	const capacity = deriveCapacity({
		kvPoolTokens: cache.kvPoolTokens,
		kvPoolSource: cache.kvPoolSource,
		kvPoolUnknown: cache.kvPoolUnknown,
		kvCacheUsage: kvSamples.at(-1) ?? null,
		window: {
			promptTokens,
			generationTokens,
			finishedRequests: finished,
			seconds,
		},
		promptTokensHistogram: null,
		generationTokensHistogram: null,
		e2eMeanSeconds: null,
		engineCount: 1,
	});
	return {
		finished,
		promptTokens,
		generationTokens,
		ttftP50Ms: quantileMs(buckets, 0.5),
		ttftP99Ms: quantileMs(buckets, 0.99),
		queueShareOfTtft: ttftSum > 0 ? Math.min(1, queueSum / ttftSum) : undefined,
		kvPeak: kvSamples.length > 0 ? Math.max(...kvSamples) : undefined,
		preemptions: delta(before, after, vllmMetric.preemptions),
		concurrencyCeiling: capacity.concurrency_ceiling ?? undefined,
	};
}

/** KV cache usage (0..1) of a page: the highest engine's. */
export function kvUsage(page: Page): number | undefined {
	for (const name of vllmMetric.kvCacheUsage) {
		const samples = page.byName.get(name);
		if (samples && samples.length > 0) {
			return Math.max(...samples.map(sample => sample.value));
		}
	}

	return undefined;
}
