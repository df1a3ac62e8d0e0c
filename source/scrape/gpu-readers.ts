/**
The two ways of reading GPUs, each one poll's I/O: run `nvidia-smi` (one process per poll; the process list, which
changes rarely, is asked for by a second one every few polls), or scrape a DCGM exporter page with the scrape client.
*/
import {gpusFromDcgm} from '../gpu/gpus-from-dcgm.js';
import type {GpuOutcome} from '../gpu/gpu-panel.js';
import type {GpuProcess} from '../gpu/gpu-reading.js';
import {appQueryArguments, gpuQueryArguments} from '../gpu/nvidia-smi-query.js';
import {
	parseAppQuery,
	parseGpuQuery,
	withProcesses,
} from '../gpu/parse-nvidia-smi.js';
import {formatFromContentType} from '../parse/format-from-content-type.js';
import {parseExposition} from '../parse/parse-exposition.js';
import {runTool} from './run-tool.js';
import type {ScrapeClient} from './scrape-client.js';

export type GpuReader = () => Promise<GpuOutcome>;

/** Polls between two reads of the process list. */
const appsEvery = 12;

export function nvidiaSmiReader(command: string, timeoutMs: number): GpuReader {
	let polls = 0;
	let processes: ReadonlyMap<string, readonly GpuProcess[]> = new Map();
	return async () => {
		const result = await runTool(command, gpuQueryArguments, {timeoutMs});
		if (!result.ok) {
			return {ok: false, error: result.error};
		}

		const parsed = parseGpuQuery(result.stdout);
		if (!parsed.ok) {
			return {ok: false, error: parsed.error};
		}

		if (polls++ % appsEvery === 0) {
			const apps = await runTool(command, appQueryArguments, {timeoutMs});
			// A tool without the process query still gives the GPUs.
			processes = apps.ok ? parseAppQuery(apps.stdout) : new Map();
		}

		return {ok: true, gpus: withProcesses(parsed.gpus, processes)};
	};
}

export function dcgmReader(client: ScrapeClient, url: string): GpuReader {
	return async () => {
		const scraped = await client.scrape(url);
		if (!scraped.ok) {
			return {ok: false, error: scraped.message};
		}

		const parsed = parseExposition(
			scraped.body,
			formatFromContentType(scraped.contentType),
		);
		if (!parsed.ok) {
			return {
				ok: false,
				error: `${url}: line ${parsed.line}: ${parsed.error}`,
			};
		}

		const gpus = gpusFromDcgm(parsed.page);
		return gpus.length === 0
			? {
					ok: false,
					error: `${url} has no DCGM_FI_DEV_* metrics: is it a DCGM exporter?`,
				}
			: {ok: true, gpus};
	};
}
