import {writeFile} from 'node:fs/promises';
import {Agent, type Dispatcher} from 'undici';
import type {BenchOptions} from './bench-options.js';
import {endpointPath, requestBody} from './bench-request.js';
import {type BenchResult, benchResult, detailedArrays} from './bench-result.js';
import {comparisonOf, comparisonText} from './comparison-text.js';
import {LoadRun, type LoadResult} from './load-runner.js';
import {firstModel} from './model-lookup.js';
import {prepareWorkload, type Workload} from './prepare-workload.js';
import {liveStats, progressLine} from './progress-line.js';
import {reportText} from './report-text.js';
import {sendRequest} from './send-request.js';
import {fetchPage, ServerWatch} from './server-watch.js';
import {type ServerWindow, serverWindow} from './server-window.js';

/**
`vllm-top bench`: finds the model, builds the workload, drives the load while watching the server's /metrics, then
reports the client's view beside the server's. Exit codes: 0 done, 1 SLOs missed, 2 bad flags or dataset, 3 server
unreachable, 130 stopped by Ctrl-C (with the partial report).
*/

export type BenchIo = {
	readonly stdout: NodeJS.WritableStream;
	readonly stderr: NodeJS.WritableStream;
	readonly signal: AbortSignal;
	/** Starts the full-screen view of a run; undefined prints progress lines instead. */
	readonly startView?: (view: BenchViewInput) => {
		readonly ready: Promise<unknown>;
		readonly stop: () => Promise<void>;
	};
};

/** What the full-screen view needs to follow a run. */
export type BenchViewInput = {
	readonly options: BenchOptions;
	readonly model: string;
	readonly run: LoadRun;
	/** Stops sending, as Ctrl-C does. */
	readonly stopRun: () => void;
};

export type BenchRun = {
	readonly load: LoadResult;
	readonly result: BenchResult;
	readonly server: ServerWindow | undefined;
};

const scrapeTimeoutMs = 2000;

/** What a sweep step changes from the flags. */
export type RunOverrides = {
	readonly rate?: number;
	readonly maxConcurrency?: number | undefined;
	readonly total?: number | undefined;
	readonly durationS?: number | undefined;
	readonly stop: AbortSignal;
};

export async function runBench(
	options: BenchOptions,
	io: BenchIo,
): Promise<number> {
	const dispatcher = new Agent({
		keepAliveTimeout: 30_000,
		connect: {timeout: 10_000},
	});
	try {
		const model = options.model ?? (await firstModel(options, dispatcher));
		if (typeof model === 'object') {
			io.stderr.write(`vllm-top bench: ${model.error}\n`);
			return 3;
		}

		const prepared = await prepareWorkload(options, model, dispatcher);
		if (!prepared.ok) {
			io.stderr.write(`vllm-top bench: ${prepared.error}\n`);
			return 2;
		}

		if (options.sweep) {
			const {runSweep, reportSweep} = await import('./sweep-command.js');
			const sweep = await runSweep(
				options,
				io,
				model,
				prepared.workload,
				dispatcher,
			);
			return reportSweep(options, io, sweep);
		}

		const run = await measure(
			options,
			io,
			model,
			prepared.workload,
			dispatcher,
		);
		await report(options, io, model, prepared.workload, run);
		return exitCode(options, run);
	} finally {
		await dispatcher.close().catch(() => undefined);
	}
}

export function makeRun(
	options: BenchOptions,
	model: string,
	workload: Workload,
	dispatcher: Dispatcher,
	overrides: RunOverrides,
): LoadRun {
	const url = options.url + endpointPath(options.endpoint);
	const shape = {
		endpoint: options.endpoint,
		model,
		ignoreEos: options.dataset === 'random',
	};
	return new LoadRun({
		prompts: workload.prompts,
		total: 'total' in overrides ? overrides.total : options.numPrompts,
		durationS:
			'durationS' in overrides ? overrides.durationS : options.durationS,
		rate: overrides.rate ?? options.requestRate,
		burstiness: options.burstiness,
		seed: options.seed,
		maxConcurrency:
			'maxConcurrency' in overrides
				? overrides.maxConcurrency
				: options.maxConcurrency,
		stop: overrides.stop,
		drainTimeoutMs: options.drainTimeoutMs,
		send: async (item, signal, runStartMs) =>
			sendRequest(
				{
					url,
					headers: options.headers,
					dispatcher,
					timeoutMs: options.timeoutMs,
					signal,
					runStartMs,
				},
				item,
				requestBody(shape, item),
			),
	});
}

async function measure(
	options: BenchOptions,
	io: BenchIo,
	model: string,
	workload: Workload,
	dispatcher: Dispatcher,
): Promise<BenchRun> {
	const scrape = async () =>
		fetchPage(options.url, options.headers, dispatcher, scrapeTimeoutMs);
	const before = await scrape();
	const watch = new ServerWatch(scrape);
	watch.start(2000);
	const stop = new AbortController();
	const onAbort = () => {
		stop.abort();
	};

	io.signal.addEventListener('abort', onAbort, {once: true});
	const run = makeRun(options, model, workload, dispatcher, {
		stop: stop.signal,
	});
	const view = io.startView?.({options, model, run, stopRun: onAbort});
	await view?.ready;
	const ticker = view
		? undefined
		: setInterval(() => {
				io.stderr.write(
					`${progressLine(liveStats(run.progress(), performance.now()))}\n`,
				);
			}, 2000);
	const load = await run.run();
	io.signal.removeEventListener('abort', onAbort);
	clearInterval(ticker);
	watch.stop();
	await view?.stop();
	const after = before ? await scrape() : undefined;
	const result = benchResult({
		outcomes: load.outcomes,
		durationS: load.durationS,
		percentiles: options.percentiles,
		goodput: options.goodput,
		partial: load.partial,
		peakInFlight: load.peakInFlight,
	});
	return {
		load,
		result,
		server:
			before && after
				? serverWindow(before, after, watch.kvSamples, load.durationS)
				: undefined,
	};
}

function document(options: BenchOptions, model: string, run: BenchRun) {
	return {
		date: new Date().toISOString(),
		backend: options.endpoint === 'chat' ? 'openai-chat' : 'openai',
		model_id: model,
		num_prompts: run.load.outcomes.length,
		request_rate:
			options.requestRate === Number.POSITIVE_INFINITY
				? 'inf'
				: options.requestRate,
		burstiness: options.burstiness,
		max_concurrency: options.maxConcurrency ?? null,
		...run.result,
		...(run.server ? {server: run.server} : {}),
	};
}

async function report(
	options: BenchOptions,
	io: BenchIo,
	model: string,
	workload: Workload,
	run: BenchRun,
): Promise<void> {
	const doc = document(options, model, run);
	if (options.saveResult !== undefined) {
		const detailed = options.saveDetailed
			? detailedArrays(run.load.outcomes)
			: {};
		await writeFile(
			options.saveResult,
			`${JSON.stringify({...doc, ...detailed}, null, 2)}\n`,
		);
	}

	if (options.output === 'json') {
		io.stdout.write(`${JSON.stringify(doc)}\n`);
		return;
	}

	io.stdout.write(
		reportText(
			run.result,
			{
				maxConcurrency: options.maxConcurrency,
				rate: options.requestRate,
				percentiles: options.percentiles,
				goodput: options.goodput !== undefined,
				inputTokensFrom: workload.lengthsFrom,
			},
			run.load.outcomes,
		),
	);
	if (run.server) {
		io.stdout.write(comparisonText(comparisonOf(run.result, run.server)));
	}
}

function exitCode(options: BenchOptions, run: BenchRun): number {
	if (run.load.partial) {
		return 130;
	}

	if (!options.goodput) {
		return 0;
	}

	const {minGoodput} = options;
	const good = Number(run.result['good_requests'] ?? 0);
	const met =
		minGoodput.kind === 'rate'
			? (run.result.request_goodput ?? 0) >= minGoodput.value
			: good >= minGoodput.value * run.load.outcomes.length;
	return met ? 0 : 1;
}
