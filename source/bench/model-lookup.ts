import {type Dispatcher, request} from 'undici';
import type {BenchOptions} from './bench-options.js';

/** The first model the server lists at /v1/models, as `vllm bench serve` picks it; an error says why not. */
export async function firstModel(
	options: BenchOptions,
	dispatcher: Dispatcher,
): Promise<string | {error: string}> {
	const where = `${options.url}/v1/models`;
	try {
		const response = await request(where, {
			headers: options.headers,
			dispatcher,
			signal: AbortSignal.timeout(10_000),
		});
		if (response.statusCode === 401 || response.statusCode === 403) {
			await response.body.dump();
			return {
				error: `${where} answered ${response.statusCode}: pass the key with --api-key or $VLLM_API_KEY`,
			};
		}

		if (response.statusCode !== 200) {
			await response.body.dump();
			return {
				error: `${where} answered ${response.statusCode}; name the model with --model`,
			};
		}

		const body: unknown = await response.body.json();
		const data: unknown =
			typeof body === 'object' && body !== null
				? Reflect.get(body, 'data')
				: undefined;
		const first: unknown = Array.isArray(data) ? data[0] : undefined;
		const id: unknown =
			typeof first === 'object' && first !== null
				? Reflect.get(first, 'id')
				: undefined;
		return typeof id === 'string'
			? id
			: {error: `${where} lists no model; name one with --model`};
	} catch (error) {
		const code =
			error instanceof Error && 'code' in error ? String(error.code) : '';
		const reason =
			code === 'ECONNREFUSED'
				? 'connection refused'
				: code === 'UND_ERR_CONNECT_TIMEOUT' ||
					  code === 'ABORT_ERR' ||
					  (error instanceof Error && error.name === 'TimeoutError')
					? 'no answer within 10 s'
					: error instanceof Error
						? error.message
						: String(error);
		return {
			error: `cannot reach ${where} (${reason}); is the server running? Check the URL`,
		};
	}
}
