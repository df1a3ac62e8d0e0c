import type http from 'node:http';
import {drawLength} from './length-distribution.js';
import {
	type ChunkContext,
	type Endpoint,
	completionBody,
	doneEvent,
	errorBody,
	streamError,
	textChunk,
	usageChunk,
	usageOf,
} from './openai-chunks.js';
import {
	type GenerationRequest,
	parseGenerationRequest,
} from './openai-request.js';
import type {PrefixIndex} from './prefix-index.js';
import type {Prng} from './prng.js';
import {generatedText} from './simulated-tokenizer.js';
import type {SimulatorClock} from './simulator-clock.js';
import type {ApiFault} from './simulator-faults.js';

/**
The OpenAI-compatible endpoints: /v1/completions, /v1/chat/completions and /tokenize. Requests go into the engine
model like its own traffic, and each streamed event leaves when the engine step that made its tokens ends.
*/

export type RouteContext = {
	readonly clock: SimulatorClock;
	readonly modelName: string;
	/** The base model and its LoRA adapters. */
	readonly modelNames: () => readonly string[];
	readonly created: number;
	readonly prefixIndex: () => PrefixIndex;
	/** Draws natural answer lengths, so runs repeat for a seed. */
	readonly rng: Prng;
	/** Why the server refuses work right now (engine dead or asleep, or a flaky fault), if it does. */
	readonly fault: () => ApiFault | undefined;
};

/** Largest request body read, like a proxy's limit; a bigger one gets 413. */
const maxBodyBytes = 32 * 1024 * 1024;

export function sendJson(
	response: http.ServerResponse,
	status: number,
	body: unknown,
): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	response.end(text);
}

async function readJson(
	request: http.IncomingMessage,
): Promise<
	{ok: true; body: unknown} | {ok: false; status: number; message: string}
> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxBodyBytes) {
			return {ok: false, status: 413, message: 'request body too large'};
		}

		chunks.push(chunk);
	}

	try {
		const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
		return {ok: true, body};
	} catch {
		return {ok: false, status: 400, message: 'the request body is not JSON'};
	}
}

function refuse(
	response: http.ServerResponse,
	status: number,
	message: string,
): void {
	const type =
		status === 404
			? 'NotFoundError'
			: status === 429
				? 'TooManyRequests'
				: status === 503
					? 'ServiceUnavailable'
					: 'BadRequestError';
	sendJson(response, status, errorBody(message, type, status));
}

/** The checks vLLM makes before a request reaches the engine; an error to send, or the generation limit. */
function admission(
	context: RouteContext,
	request: GenerationRequest,
): {status: number; message: string} | {limit: number} {
	if (!context.modelNames().includes(request.model)) {
		return {
			status: 404,
			message: `The model \`${request.model}\` does not exist.`,
		};
	}

	const {maxModelLen} = context.clock.scenario;
	const prompt = request.promptIds.length;
	const limit = request.maxTokens ?? maxModelLen - prompt;
	if (prompt + limit > maxModelLen || limit < 1) {
		return {
			status: 400,
			message: `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${prompt + Math.max(limit, 0)} tokens (${prompt} in the messages, ${Math.max(limit, 0)} in the completion). Please reduce the length of the messages or completion.`,
		};
	}

	return {limit};
}

export async function serveGeneration(
	context: RouteContext,
	endpoint: Endpoint,
	request: http.IncomingMessage,
	response: http.ServerResponse,
): Promise<void> {
	const read = await readJson(request);
	if (!read.ok) {
		refuse(response, read.status, read.message);
		return;
	}

	const parsed = parseGenerationRequest(endpoint, read.body);
	if (!parsed.ok) {
		refuse(response, 400, parsed.message);
		return;
	}

	const generation = parsed.request;
	const checked = admission(context, generation);
	if ('status' in checked) {
		refuse(response, checked.status, checked.message);
		return;
	}

	const fault = context.fault();
	if (fault?.kind === 'refuse') {
		refuse(response, fault.status, fault.message);
		return;
	}

	run(context, generation, checked.limit, fault, response);
}

function run(
	context: RouteContext,
	generation: GenerationRequest,
	limit: number,
	fault: ApiFault | undefined,
	response: http.ServerResponse,
): void {
	const {clock} = context;
	const {scenario} = clock;
	const outputTokens = generation.ignoreEos
		? limit
		: Math.min(drawLength(context.rng, scenario.output, limit), limit);
	const promptTokens = generation.promptIds.length;
	const chunkContext: ChunkContext = {
		endpoint: generation.endpoint,
		id: `${generation.endpoint === 'chat' ? 'chatcmpl' : 'cmpl'}-${Math.floor(context.rng.next() * 2 ** 48).toString(16)}`,
		created: context.created,
		model: generation.model,
		includeUsage: generation.includeUsage,
	};
	const finishReason = outputTokens >= limit ? 'length' : 'stop';
	const dropAfter = fault?.kind === 'drop' ? fault.afterTokens : undefined;
	let generated = 0;
	let text = '';
	let done = false;
	if (generation.stream) {
		response.writeHead(200, {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache',
		});
	}

	const id = clock.submit(
		{
			promptTokens,
			outputTokens,
			maxTokensParam: generation.maxTokens,
			generationLimit: limit,
			sharedPrefixTokens: context
				.prefixIndex()
				.lookUpAndAdd(generation.promptIds),
			lora:
				generation.model === context.modelName ? undefined : generation.model,
			willError: false,
			tracked: true,
		},
		{
			onTokens(count) {
				if (dropAfter !== undefined && generated >= dropAfter) {
					done = true;
					clock.cancel(id);
					response.destroy();
					return;
				}

				const piece = generatedText(id, generated, count);
				generated += count;
				if (generation.stream) {
					const last = generated >= outputTokens;
					response.write(
						textChunk(
							chunkContext,
							piece,
							generated === count,
							last ? finishReason : undefined,
						),
					);
				} else {
					text += piece;
				}
			},
			onFinish(finished) {
				done = true;
				const usage = usageOf(promptTokens, finished.generatedTokens);
				if (finished.reason === 'error' || finished.reason === 'abort') {
					const message = `the engine ended the request (${finished.reason})`;
					if (generation.stream) {
						response.end(streamError(message, 500));
					} else {
						refuse(response, 500, message);
					}

					return;
				}

				if (!generation.stream) {
					sendJson(
						response,
						200,
						completionBody(chunkContext, text, finishReason, usage),
					);
					return;
				}

				response.end(
					(generation.includeUsage ? usageChunk(chunkContext, usage) : '') +
						doneEvent,
				);
			},
			onLost() {
				done = true;
				response.destroy();
			},
		},
	);
	response.on('close', () => {
		if (!done) {
			done = true;
			clock.cancel(id);
		}
	});
}

/** `POST /tokenize`: token ids of a prompt or chat, with the simulator's tokenizer. */
export async function serveTokenize(
	context: RouteContext,
	request: http.IncomingMessage,
	response: http.ServerResponse,
): Promise<void> {
	const read = await readJson(request);
	if (!read.ok) {
		refuse(response, read.status, read.message);
		return;
	}

	const endpoint: Endpoint =
		typeof read.body === 'object' &&
		read.body !== null &&
		'messages' in read.body
			? 'chat'
			: 'completions';
	const parsed = parseGenerationRequest(endpoint, read.body);
	if (!parsed.ok) {
		refuse(response, 400, parsed.message);
		return;
	}

	sendJson(response, 200, {
		count: parsed.request.promptIds.length,
		max_model_len: context.clock.scenario.maxModelLen,
		tokens: parsed.request.promptIds,
		token_strs: null,
	});
}
