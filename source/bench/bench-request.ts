/** One request of a workload: what to send and how long its answer may be. */
export type BenchPrompt = {
	/** Token ids (exact length without a tokenizer) or text. */
	readonly prompt: readonly number[] | string;
	/** Prompt length when the workload knows it exactly (token ids); text prompts get theirs from `usage`. */
	readonly promptTokens: number | undefined;
	/** `max_tokens` of the request. */
	readonly outputTokens: number;
};

export type Endpoint = 'completions' | 'chat';

export type RequestShape = {
	readonly endpoint: Endpoint;
	readonly model: string;
	/** Ask the server to ignore end-of-sequence, so every answer has exactly `max_tokens` tokens. */
	readonly ignoreEos: boolean;
};

/** The JSON body of a streamed completions or chat request with usage in the last chunk. */
export function requestBody(shape: RequestShape, item: BenchPrompt): string {
	const common = {
		model: shape.model,
		max_tokens: item.outputTokens,
		stream: true,
		stream_options: {include_usage: true},
		temperature: 0,
		...(shape.ignoreEos ? {ignore_eos: true} : {}),
	};
	if (shape.endpoint === 'completions') {
		return JSON.stringify({...common, prompt: item.prompt});
	}

	const content =
		typeof item.prompt === 'string' ? item.prompt : item.prompt.join(' ');
	return JSON.stringify({
		...common,
		messages: [{role: 'user', content}],
	});
}

export function endpointPath(endpoint: Endpoint): string {
	return endpoint === 'chat' ? '/v1/chat/completions' : '/v1/completions';
}
