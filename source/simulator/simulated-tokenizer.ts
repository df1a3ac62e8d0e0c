/**
The simulator's stand-in for a tokenizer: a text token is a run of up to four characters (with its leading space), so
token counts come out near a real BPE tokenizer's for English. `/tokenize`, `usage` and the engine model all use it,
so they agree with each other.
*/

const vocabulary = 32_000;

/** Token ids of `text`, deterministic. */
export function tokenize(text: string): number[] {
	const ids: number[] = [];
	for (const piece of text.match(/\s*\S{1,4}|\s+$/g) ?? []) {
		let hash = 7;
		for (let index = 0; index < piece.length; index++) {
			hash = (Math.imul(hash, 31) + piece.codePointAt(index)!) >>> 0;
		}

		ids.push(hash % vocabulary);
	}

	return ids;
}

export type ChatMessage = {readonly role: string; readonly content: string};

/** Role headers and the end-of-turn token, as a Llama 3 chat template adds them. */
const headerTokens = 4;

/** Prompt tokens of a chat: each message with its header, then the assistant's header. */
export function tokenizeChat(messages: readonly ChatMessage[]): number[] {
	const ids: number[] = [];
	for (const message of messages) {
		ids.push(...headerIds(message.role), ...tokenize(message.content), 128_009);
	}

	ids.push(...headerIds('assistant'));
	return ids;
}

function headerIds(role: string): number[] {
	return [128_006, ...tokenize(role).slice(0, headerTokens - 2), 128_007];
}

const words = [
	' the',
	' model',
	' answers',
	' with',
	' a',
	' token',
	' at',
	' each',
	' step',
	' and',
	' more',
	' text',
];

/** Text of generated tokens `from` to `from + count` of request `id`: one short word per token. */
export function generatedText(id: number, from: number, count: number): string {
	let text = '';
	for (let index = from; index < from + count; index++) {
		text += words[(id + index) % words.length]!;
	}

	return text;
}
