import {z} from 'zod';
import {Prng} from '../simulator/prng.js';
import type {BenchPrompt} from './bench-request.js';

/**
ShareGPT conversations as `vllm bench serve` uses them: the first turn is the prompt and the reply's length is
`max_tokens`; pairs under 4 tokens either side, prompts over 1024 tokens or pairs over 2048 are skipped.
*/

const conversation = z.object({
	conversations: z
		.array(z.object({from: z.string(), value: z.string()}))
		.min(2),
});
const file = z.array(z.unknown());

export type SharegptPair = {readonly prompt: string; readonly reply: string};

export type SharegptRead =
	| {readonly ok: true; readonly pairs: readonly SharegptPair[]}
	| {readonly ok: false; readonly error: string};

/** The usable prompt-reply pairs of a ShareGPT JSON document, shuffled by `seed`. */
export function sharegptPairs(text: string, seed: number): SharegptRead {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return {ok: false, error: 'is not JSON'};
	}

	const list = file.safeParse(parsed);
	if (!list.success) {
		return {ok: false, error: 'is not a JSON array of conversations'};
	}

	const pairs: SharegptPair[] = [];
	for (const entry of list.data) {
		const item = conversation.safeParse(entry);
		if (item.success) {
			const [first, second] = item.data.conversations;
			pairs.push({prompt: first!.value, reply: second!.value});
		}
	}

	if (pairs.length === 0) {
		return {
			ok: false,
			error:
				'has no conversation with two turns ({"conversations": [{"from", "value"}, ...]})',
		};
	}

	const rng = new Prng(seed);
	for (let index = pairs.length - 1; index > 0; index--) {
		const other = Math.floor(rng.next() * (index + 1));
		[pairs[index], pairs[other]] = [pairs[other]!, pairs[index]!];
	}

	return {ok: true, pairs};
}

/** Rough token count of English text when the server has no /tokenize: about four characters a token. */
export function estimateTokens(text: string): number {
	return Math.ceil(text.length / 4);
}

export type CountedPair = SharegptPair & {
	readonly promptTokens: number;
	readonly replyTokens: number;
};

/** The first `count` pairs that pass vLLM's length filter, reused from the start if the file has fewer. */
export function sharegptPrompts(
	pairs: readonly CountedPair[],
	count: number,
): BenchPrompt[] {
	const usable = pairs.filter(
		pair =>
			pair.promptTokens >= 4 &&
			pair.replyTokens >= 4 &&
			pair.promptTokens <= 1024 &&
			pair.promptTokens + pair.replyTokens <= 2048,
	);
	if (usable.length === 0) {
		return [];
	}

	return Array.from({length: count}, (_, index) => {
		const pair = usable[index % usable.length]!;
		return {
			prompt: pair.prompt,
			promptTokens: undefined,
			outputTokens: pair.replyTokens,
		};
	});
}
