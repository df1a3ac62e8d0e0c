/**
A loopback vLLM look-alike that puts terminal escape sequences in everything it controls: the model name on its
/metrics page, its /version string, and (on /bad/metrics) a page whose parse error quotes them back.
*/
import {readFileSync} from 'node:fs';
import {startHttpServer, type TestServer} from './http-server.js';
import {fixturePath} from './fixture-path.js';

/** Sets the pane or window title, clears the screen, and backspaces over what came before. */
export const evil = '\u001B]0;PWNED\u0007\u001B[2J\b\b\bevil';
/** The same string as the sanitiser shows it. */
export const evilShown = String.raw`\x1b]0;PWNED\x07\x1b[2J\x08\x08\x08evil`;
/** Bytes that must never reach a terminal from a server: ESC, BEL, BS (and the C1 CSI). */
// eslint-disable-next-line no-control-regex
export const terminalControls = /[\u0007\u0008\u001B\u009B]/u;

const page = readFileSync(
	fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'),
	'utf8',
).replaceAll(/model_name="[^"]*"/gu, `model_name="${evil}"`);

export async function startEscapeServer(): Promise<TestServer> {
	return startHttpServer((request, response) => {
		const url = request.url ?? '/';
		if (url.startsWith('/version') || url.startsWith('/bad/version')) {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(JSON.stringify({version: evil}));
		} else if (url.includes('/health')) {
			response.end();
		} else if (url.startsWith('/bad/')) {
			response.writeHead(200, {'content-type': 'text/plain'});
			response.end(`vllm:num_requests_running 1${evil}\n`);
		} else {
			response.writeHead(200, {
				'content-type': 'text/plain; version=0.0.4; charset=utf-8',
			});
			response.end(page);
		}
	});
}
