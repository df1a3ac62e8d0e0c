/**
The bodies vLLM's OpenAI-compatible server sends for completions and chat completions, streamed (one SSE event per
engine step, carrying every token that step made) and not. Pure builders: the route decides when to send them.
*/

export type Endpoint = 'completions' | 'chat';

export type Usage = {
	readonly prompt_tokens: number;
	readonly completion_tokens: number;
	readonly total_tokens: number;
};

export type ChunkContext = {
	readonly endpoint: Endpoint;
	readonly id: string;
	readonly created: number;
	readonly model: string;
	/** With `stream_options.include_usage`, every chunk carries `usage: null` and a last one the totals. */
	readonly includeUsage: boolean;
};

export function usageOf(prompt: number, completion: number): Usage {
	return {
		prompt_tokens: prompt,
		completion_tokens: completion,
		total_tokens: prompt + completion,
	};
}

function envelope(context: ChunkContext, choices: unknown[]) {
	return {
		id: context.id,
		object:
			context.endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion',
		created: context.created,
		model: context.model,
		choices,
		...(context.includeUsage ? {usage: null} : {}),
	};
}

/** One SSE event with the text of a step; the first chat event also names the role. */
export function textChunk(
	context: ChunkContext,
	text: string,
	first: boolean,
	finishReason: string | undefined,
): string {
	const choice =
		context.endpoint === 'chat'
			? {
					index: 0,
					delta: first ? {role: 'assistant', content: text} : {content: text},
					logprobs: null,
					finish_reason: finishReason ?? null,
				}
			: {
					index: 0,
					text,
					logprobs: null,
					finish_reason: finishReason ?? null,
					stop_reason: null,
				};
	return sse(envelope(context, [choice]));
}

/** The last event before `[DONE]` when usage was asked for: no choices, the token totals. */
export function usageChunk(context: ChunkContext, usage: Usage): string {
	return sse({...envelope(context, []), usage});
}

export const doneEvent = 'data: [DONE]\n\n';

/** An error inside a stream, as vLLM reports one after the headers are sent. */
export function streamError(message: string, code: number): string {
	return sse({error: {message, type: 'InternalServerError', code}});
}

function sse(body: unknown): string {
	return `data: ${JSON.stringify(body)}\n\n`;
}

/** The whole answer of a request without `stream`. */
export function completionBody(
	context: ChunkContext,
	text: string,
	finishReason: string,
	usage: Usage,
) {
	const choice =
		context.endpoint === 'chat'
			? {
					index: 0,
					message: {role: 'assistant', content: text},
					logprobs: null,
					finish_reason: finishReason,
				}
			: {
					index: 0,
					text,
					logprobs: null,
					finish_reason: finishReason,
					stop_reason: null,
				};
	return {
		id: context.id,
		object: context.endpoint === 'chat' ? 'chat.completion' : 'text_completion',
		created: context.created,
		model: context.model,
		choices: [choice],
		usage,
	};
}

/** vLLM's error body for a request it refuses. */
export function errorBody(message: string, type: string, code: number) {
	return {object: 'error', message, type, code};
}
