import type {IncomingMessage, ServerResponse} from 'node:http';
import {startHttpServer, type TestServer} from './http-server.js';

/** How the fake server answers generation requests. */
export type FakeBehaviour = 'ok' | 'error500' | 'disconnect' | 'hang';

/**
A minimal OpenAI-compatible server on loopback: /v1/models lists one model; completions stream `tokens` chunks at
once with usage last ('ok'), answer 500, drop the connection after two chunks, or never answer.
*/
export async function startFakeOpenAi(
	behaviour: FakeBehaviour,
	tokens = 4,
): Promise<TestServer> {
	return startHttpServer(
		(request: IncomingMessage, response: ServerResponse) => {
			request.resume();
			if (request.url === '/v1/models') {
				response.writeHead(200, {'content-type': 'application/json'});
				response.end(
					JSON.stringify({
						object: 'list',
						data: [{id: 'fake-model', root: 'fake-model'}],
					}),
				);
				return;
			}

			if (request.url !== '/v1/completions') {
				response.writeHead(404);
				response.end();
				return;
			}

			request.on('end', () => {
				answer(behaviour, tokens, response);
			});
		},
	);
}

function chunk(text: string, finish: string | null): string {
	return `data: ${JSON.stringify({choices: [{index: 0, text, finish_reason: finish}], usage: null})}\n\n`;
}

function answer(
	behaviour: FakeBehaviour,
	tokens: number,
	response: ServerResponse,
): void {
	switch (behaviour) {
		case 'hang': {
			return;
		}

		case 'error500': {
			response.writeHead(500, {'content-type': 'application/json'});
			response.end(
				JSON.stringify({
					object: 'error',
					message: 'engine exploded',
					code: 500,
				}),
			);
			return;
		}

		case 'disconnect': {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			response.write(chunk(' a', null) + chunk(' b', null), () => {
				response.destroy();
			});
			return;
		}

		case 'ok': {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			let body = '';
			for (let index = 0; index < tokens; index++) {
				body += chunk(' t', index === tokens - 1 ? 'length' : null);
			}

			body += `data: ${JSON.stringify({choices: [], usage: {prompt_tokens: 10, completion_tokens: tokens, total_tokens: 10 + tokens}})}\n\n`;
			response.end(`${body}data: [DONE]\n\n`);
		}
	}
}
