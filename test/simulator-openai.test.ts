import assert from 'node:assert/strict';
import {test} from 'node:test';
import {request} from 'undici';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {
	defaultModelName,
	startSimulator,
} from '../source/simulator/simulator-server.js';

/** The value at `path` inside parsed JSON, or undefined. */
function dig(value: unknown, ...path: Array<string | number>): unknown {
	let here = value;
	for (const key of path) {
		if (typeof here !== 'object' || here === null) {
			return undefined;
		}

		here = Reflect.get(here, key);
	}

	return here;
}

async function post(url: string, body: unknown) {
	return request(url, {
		method: 'POST',
		headers: {'content-type': 'application/json'},
		body: JSON.stringify(body),
	});
}

async function postJson(url: string, body: unknown): Promise<unknown> {
	const response = await post(url, body);
	return response.body.json();
}

/** Every SSE data payload of a streamed answer, with the time each arrived (ms since the request). */
async function events(
	response: Awaited<ReturnType<typeof post>>,
	sent: number,
) {
	const out: Array<{data: string; at: number}> = [];
	let buffer = '';
	response.body.setEncoding('utf8');
	for await (const text of response.body) {
		buffer += String(text);
		let end = buffer.indexOf('\n\n');
		while (end >= 0) {
			const line = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			out.push({
				data: line.replace(/^data: /, ''),
				at: performance.now() - sent,
			});
			end = buffer.indexOf('\n\n');
		}
	}

	return out;
}

async function counter(url: string, name: string): Promise<number> {
	const response = await request(`${url}/metrics`);
	const parsed = parseExposition(await response.body.text(), 'text');
	assert.ok(parsed.ok);
	return (parsed.page.byName.get(name) ?? [])
		.filter(sample => sample.labels['finished_reason'] !== 'abort')
		.reduce((sum, sample) => sum + sample.value, 0);
}

function parse(text: string): unknown {
	return JSON.parse(text);
}

test(
	'streamed completions: one event per engine step, usage last, counted in /metrics like the built-in load',
	{timeout: 30_000},
	async () => {
		const simulator = await startSimulator({seed: 3, traffic: false});
		try {
			const sent = performance.now();
			const response = await post(`${simulator.url}/v1/completions`, {
				model: defaultModelName,
				prompt: Array.from({length: 300}, (_, index) => index + 1),
				max_tokens: 40,
				ignore_eos: true,
				stream: true,
				stream_options: {include_usage: true},
			});
			assert.equal(response.statusCode, 200);
			assert.match(String(response.headers['content-type']), /event-stream/);
			const all = await events(response, sent);
			assert.equal(all.at(-1)?.data, '[DONE]');
			const chunks = all.slice(0, -1).map(event => parse(event.data));
			assert.deepEqual(dig(chunks.at(-1), 'usage'), {
				prompt_tokens: 300,
				completion_tokens: 40,
				total_tokens: 340,
			});
			const choices = chunks
				.slice(0, -1)
				.map(chunk => dig(chunk, 'choices', 0));
			assert.equal(dig(choices.at(-1), 'finish_reason'), 'length');
			const words = choices.map(
				choice => String(dig(choice, 'text')).split(' ').length - 1,
			);
			assert.equal(
				words.reduce((a, b) => a + b, 0),
				40,
			);
			// Speculative decoding in `steady`: some steps make more than one token.
			assert.ok(
				words.some(count => count > 1),
				`chunks: ${words.join(',')}`,
			);
			// Paced by engine steps (5 ms or more each), not sent at once.
			const span = all.at(-1)!.at;
			assert.ok(span >= 5 * choices.length, `${span} ms for ${choices.length}`);
			assert.equal(
				await counter(simulator.url, 'vllm:generation_tokens_total'),
				40,
			);
			assert.equal(
				await counter(simulator.url, 'vllm:prompt_tokens_total'),
				300,
			);
			assert.equal(
				await counter(simulator.url, 'vllm:request_success_total'),
				1,
			);
		} finally {
			await simulator.stop();
		}
	},
);

test(
	'chat completions, streamed and not, and /tokenize agree on prompt tokens',
	{timeout: 30_000},
	async () => {
		const simulator = await startSimulator({seed: 4, traffic: false});
		try {
			const messages = [
				{role: 'user', content: 'How long is a piece of string?'},
			];
			const tokenized = await postJson(`${simulator.url}/tokenize`, {
				model: defaultModelName,
				messages,
			});
			const body = await postJson(`${simulator.url}/v1/chat/completions`, {
				model: defaultModelName,
				messages,
				max_tokens: 8,
			});
			assert.equal(dig(body, 'object'), 'chat.completion');
			assert.equal(
				dig(body, 'usage', 'prompt_tokens'),
				dig(tokenized, 'count'),
			);
			assert.ok(Number(dig(body, 'usage', 'completion_tokens')) <= 8);
			assert.equal(dig(body, 'choices', 0, 'message', 'role'), 'assistant');

			const streamed = await post(`${simulator.url}/v1/chat/completions`, {
				model: defaultModelName,
				messages,
				max_tokens: 5,
				ignore_eos: true,
				stream: true,
			});
			const all = await events(streamed, performance.now());
			const first = parse(all[0]!.data);
			assert.equal(dig(first, 'object'), 'chat.completion.chunk');
			assert.equal(dig(first, 'choices', 0, 'delta', 'role'), 'assistant');
			// Without include_usage, no usage event: the last choice chunk, then [DONE].
			assert.equal(all.at(-1)?.data, '[DONE]');
			assert.ok(
				!all.slice(0, -1).some(event => event.data.includes('"usage":{')),
			);
		} finally {
			await simulator.stop();
		}
	},
);

test(
	'requests the server cannot take are refused like vLLM refuses them',
	{timeout: 30_000},
	async () => {
		const simulator = await startSimulator({seed: 5, traffic: false});
		try {
			const unknownModel = await post(`${simulator.url}/v1/completions`, {
				model: 'nope',
				prompt: 'hi',
			});
			assert.equal(unknownModel.statusCode, 404);
			await unknownModel.body.dump();
			const tooLong = await post(`${simulator.url}/v1/completions`, {
				model: defaultModelName,
				prompt: [1, 2, 3],
				max_tokens: 9000,
			});
			assert.equal(tooLong.statusCode, 400);
			assert.match(
				String(dig(await tooLong.body.json(), 'message')),
				/maximum context length/,
			);
			const get = await request(`${simulator.url}/v1/completions`);
			assert.equal(get.statusCode, 405);
			await get.body.dump();
		} finally {
			await simulator.stop();
		}
	},
);

test(
	'flaky: some requests get 429 or 503 and some streams stop part way',
	{timeout: 60_000},
	async () => {
		const simulator = await startSimulator({
			seed: 9,
			traffic: false,
			scenario: 'flaky',
		});
		try {
			const outcomes = await Promise.all(
				Array.from({length: 120}, async () => {
					try {
						const response = await post(`${simulator.url}/v1/completions`, {
							model: defaultModelName,
							prompt: [1, 2, 3, 4],
							max_tokens: 30,
							ignore_eos: true,
							stream: true,
						});
						const text = await response.body.text();
						if (response.statusCode !== 200) {
							return String(response.statusCode);
						}

						return text.endsWith('data: [DONE]\n\n') ? 'ok' : 'cut';
					} catch {
						return 'cut';
					}
				}),
			);
			for (const outcome of ['ok', '429', '503', 'cut']) {
				assert.ok(
					outcomes.includes(outcome),
					`no ${outcome} in ${outcomes.join(' ')}`,
				);
			}
		} finally {
			await simulator.stop();
		}
	},
);
