import {z} from 'zod';
import type {Endpoint} from './openai-chunks.js';
import {tokenize, tokenizeChat} from './simulated-tokenizer.js';

/** What the simulator needs from a completions or chat request body. */
export type GenerationRequest = {
	readonly endpoint: Endpoint;
	readonly model: string;
	readonly promptIds: readonly number[];
	readonly maxTokens: number | undefined;
	readonly ignoreEos: boolean;
	readonly stream: boolean;
	readonly includeUsage: boolean;
};

export type ParsedRequest =
	| {readonly ok: true; readonly request: GenerationRequest}
	| {readonly ok: false; readonly message: string};

const tokenIds = z.array(z.number().int().nonnegative()).min(1);
const prompt = z.union([
	z.string(),
	tokenIds,
	// A batch of one prompt, as text or token ids.
	z.tuple([z.union([z.string(), tokenIds])]).transform(([only]) => only),
]);
const message = z.object({role: z.string(), content: z.string()});

const common = {
	model: z.string().default(''),
	max_tokens: z.number().int().min(1).nullish(),
	max_completion_tokens: z.number().int().min(1).nullish(),
	ignore_eos: z.boolean().default(false),
	stream: z.boolean().default(false),
	stream_options: z
		.object({include_usage: z.boolean().default(false)})
		.nullish(),
};

const completionsBody = z.object({...common, prompt});
const chatBody = z.object({...common, messages: z.array(message).min(1)});

function describe(error: z.ZodError): string {
	const issue = error.issues[0];
	const where = issue?.path.join('.') ?? '';
	return `${where ? `${where}: ` : ''}${issue?.message ?? 'invalid request'}`;
}

/** Reads a request body the way vLLM's OpenAI server validates it; an error message on bad input. */
export function parseGenerationRequest(
	endpoint: Endpoint,
	body: unknown,
): ParsedRequest {
	const parsed =
		endpoint === 'chat'
			? chatBody.safeParse(body)
			: completionsBody.safeParse(body);
	if (!parsed.success) {
		return {ok: false, message: describe(parsed.error)};
	}

	const fields = parsed.data;
	const promptIds =
		'messages' in fields
			? tokenizeChat(fields.messages)
			: typeof fields.prompt === 'string'
				? tokenize(fields.prompt)
				: fields.prompt;
	return {
		ok: true,
		request: {
			endpoint,
			model: fields.model,
			promptIds,
			maxTokens: fields.max_completion_tokens ?? fields.max_tokens ?? undefined,
			ignoreEos: fields.ignore_eos,
			stream: fields.stream,
			includeUsage: fields.stream_options?.include_usage ?? false,
		},
	};
}
