/**
Reads a streamed OpenAI answer (server-sent events) as it arrives and times it the way `vllm bench serve` does: the
first chunk carrying choices is the first token, every later one adds an inter-token latency (a gap between chunks,
so a chunk with several tokens from speculative decoding counts once), and `usage` in the last chunk gives the token
counts. Pure: the caller passes the text and the time it arrived.
*/
export class StreamReader {
	firstChunkMs: number | undefined;
	lastChunkMs: number | undefined;
	readonly itlMs: number[] = [];
	chunks = 0;
	promptTokens: number | undefined;
	completionTokens: number | undefined;
	done = false;
	/** An `error` object the server sent inside the stream. */
	error: string | undefined;
	#buffer = '';

	feed(text: string, nowMs: number): void {
		this.#buffer += text;
		let end = this.#eventEnd();
		while (end !== undefined) {
			const event = this.#buffer.slice(0, end.index);
			this.#buffer = this.#buffer.slice(end.index + end.length);
			this.#event(event, nowMs);
			end = this.#eventEnd();
		}
	}

	#eventEnd(): {index: number; length: number} | undefined {
		const lf = this.#buffer.indexOf('\n\n');
		const crlf = this.#buffer.indexOf('\r\n\r\n');
		if (lf === -1 && crlf === -1) {
			return undefined;
		}

		return crlf !== -1 && (lf === -1 || crlf < lf)
			? {index: crlf, length: 4}
			: {index: lf, length: 2};
	}

	#event(event: string, nowMs: number): void {
		for (const line of event.split(/\r?\n/)) {
			if (!line.startsWith('data:')) {
				continue;
			}

			const data = line.slice(5).trim();
			if (data === '[DONE]') {
				this.done = true;
				continue;
			}

			this.#payload(data, nowMs);
		}
	}

	#payload(data: string, nowMs: number): void {
		let body: unknown;
		try {
			body = JSON.parse(data);
		} catch {
			this.error ??= `unreadable event: ${data.slice(0, 80)}`;
			return;
		}

		if (typeof body !== 'object' || body === null) {
			return;
		}

		const error: unknown = Reflect.get(body, 'error');
		if (error !== undefined && error !== null) {
			const message: unknown =
				typeof error === 'object' ? Reflect.get(error, 'message') : error;
			this.error ??= `server error in the stream: ${String(message)}`;
			return;
		}

		const usage: unknown = Reflect.get(body, 'usage');
		if (typeof usage === 'object' && usage !== null) {
			this.promptTokens = numberOr(Reflect.get(usage, 'prompt_tokens'));
			this.completionTokens = numberOr(Reflect.get(usage, 'completion_tokens'));
		}

		const choices: unknown = Reflect.get(body, 'choices');
		if (
			Array.isArray(choices) &&
			choices.length > 0 &&
			carriesToken(choices[0])
		) {
			this.#chunk(nowMs);
		}
	}

	#chunk(nowMs: number): void {
		this.chunks++;
		if (this.lastChunkMs === undefined) {
			this.firstChunkMs = nowMs;
		} else {
			this.itlMs.push(nowMs - this.lastChunkMs);
		}

		this.lastChunkMs = nowMs;
	}
}

/** A chat stream's first event may name only the role; it carries no token. */
function carriesToken(choice: unknown): boolean {
	if (typeof choice !== 'object' || choice === null) {
		return false;
	}

	const finish: unknown = Reflect.get(choice, 'finish_reason');
	const text: unknown = Reflect.get(choice, 'text');
	const delta: unknown = Reflect.get(choice, 'delta');
	const content: unknown =
		typeof delta === 'object' && delta !== null
			? Reflect.get(delta, 'content')
			: undefined;
	return (
		(typeof text === 'string' && text !== '') ||
		(typeof content === 'string' && content !== '') ||
		(finish !== null && finish !== undefined)
	);
}

function numberOr(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value)
		? value
		: undefined;
}
