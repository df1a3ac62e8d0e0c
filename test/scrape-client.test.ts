import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import type {ServerResponse} from 'node:http';
import {after, describe, test} from 'node:test';
import {gzipSync} from 'node:zlib';
import {
	createScrapeClient,
	type ScrapeClient,
} from '../source/scrape/scrape-client.js';
import {postProfiler} from '../source/profiler/profiler-post.js';
import type {ScrapeResult} from '../source/scrape/scrape-result.js';
import {startHttpServer, type TestServer} from './support/http-server.js';
import {fixturePath} from './support/fixture-path.js';

const v1Page = readFileSync(
	fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'),
	'utf8',
);
const v0Page = readFileSync(fixturePath('vllm-v0-opt125m.txt'), 'utf8');
const promText = 'text/plain; version=0.0.4; charset=utf-8';
const testOptions = {timeout: 15_000};

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
	await Promise.all(cleanups.map(async cleanup => cleanup()));
});

async function serve(
	handler: Parameters<typeof startHttpServer>[0],
): Promise<TestServer> {
	const server = await startHttpServer(handler);
	cleanups.push(async () => server.close());
	return server;
}

function client(
	options: Parameters<typeof createScrapeClient>[0] = {},
): ScrapeClient {
	const created = createScrapeClient(options);
	cleanups.push(async () => created.close());
	return created;
}

function expectFailure(
	result: ScrapeResult,
): Extract<ScrapeResult, {ok: false}> {
	assert.equal(
		result.ok,
		false,
		`expected a failure, got ${JSON.stringify(result).slice(0, 200)}`,
	);
	return result;
}

function servePage(response: ServerResponse, page = v1Page): void {
	response.writeHead(200, {'content-type': promText});
	response.end(page);
}

describe('scrape client: success', () => {
	test(
		'returns the decoded page with status, content type and timing',
		testOptions,
		async () => {
			const server = await serve((_request, response) => {
				servePage(response, v0Page);
			});
			const url = `${server.url}/metrics`;
			const before = Date.now();
			const result = await client().scrape(url);
			assert.ok(result.ok);
			assert.equal(result.body, v0Page);
			assert.equal(result.status, 200);
			assert.equal(result.url, url);
			assert.match(result.contentType, /^text\/plain/u);
			assert.ok(result.at >= before && result.at <= Date.now());
			assert.ok(result.durationMs >= 0 && result.durationMs < 2000);
		},
	);

	test(
		'asks for gzip and decodes a gzip body by its Content-Encoding',
		testOptions,
		async () => {
			let acceptEncoding: string | undefined;
			const compressed = gzipSync(v1Page);
			const server = await serve((request, response) => {
				acceptEncoding = request.headers['accept-encoding'];
				response.writeHead(200, {
					'content-type': promText,
					'content-encoding': 'gzip',
				});
				response.end(compressed);
			});
			const result = await client().scrape(`${server.url}/metrics`);
			assert.equal(acceptEncoding, 'gzip');
			assert.ok(result.ok, JSON.stringify(result));
			assert.ok(compressed.length < v1Page.length / 3);
			assert.equal(result.body, v1Page);
		},
	);

	test(
		'sends the bearer token and custom headers; --header overrides defaults',
		testOptions,
		async () => {
			let seen: Record<string, string | string[] | undefined> = {};
			const server = await serve((request, response) => {
				seen = request.headers;
				servePage(response);
			});
			const result = await client({
				apiKey: 'sk-test-123',
				headers: {'X-Team': 'infra', 'User-Agent': 'custom-agent/1'},
			}).scrape(`${server.url}/metrics`);
			assert.ok(result.ok);
			assert.equal(seen['authorization'], 'Bearer sk-test-123');
			assert.equal(seen['x-team'], 'infra');
			assert.equal(seen['user-agent'], 'custom-agent/1');
			assert.match(String(seen['accept']), /text\/plain/u);
		},
	);

	test(
		'two concurrent scrapes of one URL share one request',
		testOptions,
		async () => {
			let requests = 0;
			const server = await serve((_request, response) => {
				requests++;
				setTimeout(() => {
					servePage(response);
				}, 150);
			});
			const scraper = client();
			const url = `${server.url}/metrics`;
			const first = scraper.scrape(url);
			const second = scraper.scrape(url);
			const [a, b] = await Promise.all([first, second]);
			assert.equal(requests, 1);
			assert.equal(a, b);
			assert.ok(a.ok);
			// Once settled, the next call scrapes again.
			const third = await scraper.scrape(url);
			assert.ok(third.ok);
			assert.equal(requests, 2);
		},
	);

	test(
		'keeps the connection alive: 5 scrapes, 1 connection',
		testOptions,
		async () => {
			const server = await serve((_request, response) => {
				servePage(response);
			});
			const scraper = client();
			for (let index = 0; index < 5; index++) {
				const result = await scraper.scrape(`${server.url}/metrics`);
				assert.ok(result.ok);
			}

			assert.equal(server.connections(), 1);
		},
	);

	test(
		'follows up to 3 redirects and drops the token when the origin changes',
		testOptions,
		async () => {
			let authorizationAtOther: string | undefined = 'unset';
			const other = await serve((request, response) => {
				authorizationAtOther = request.headers.authorization;
				servePage(response, v0Page);
			});
			const server = await serve((request, response) => {
				const hops: Record<string, string> = {
					'/metrics': '/one',
					'/one': '/two',
					'/two': `${other.url}/metrics`,
				};
				const target = hops[request.url ?? ''];
				if (target === undefined) {
					response.writeHead(404).end();
					return;
				}

				response.writeHead(302, {location: target}).end();
			});
			const result = await client({apiKey: 'secret'}).scrape(
				`${server.url}/metrics`,
			);
			assert.ok(result.ok, JSON.stringify(result));
			assert.equal(result.body, v0Page);
			assert.equal(authorizationAtOther, undefined);
		},
	);
	test(
		'a connection dropped before the answer is retried once',
		testOptions,
		async () => {
			let requests = 0;
			const server = await serve((request, response) => {
				requests++;
				if (requests === 1) {
					request.socket.destroy();
					return;
				}

				servePage(response, v0Page);
			});
			const result = await client().scrape(`${server.url}/metrics`);
			assert.ok(result.ok, JSON.stringify(result));
			assert.equal(requests, 2);
		},
	);
});

describe('scrape client: failures are values with one-line messages', () => {
	test(
		'slow headers hit the deadline, naming the URL and the timeout',
		testOptions,
		async () => {
			const server = await serve(() => {
				// Never answers.
			});
			const url = `${server.url}/metrics`;
			const started = performance.now();
			const failure = expectFailure(await client({timeoutMs: 300}).scrape(url));
			const elapsed = performance.now() - started;
			assert.equal(failure.kind, 'timeout');
			assert.ok(failure.message.includes(url), failure.message);
			assert.match(failure.message, /timeout after 300 ms/u);
			assert.ok(elapsed >= 290 && elapsed < 300 + 250, `took ${elapsed} ms`);
			assert.doesNotMatch(failure.message, /\n/u);
		},
	);

	test('a body that stalls hits the deadline too', testOptions, async () => {
		const server = await serve((_request, response) => {
			response.writeHead(200, {'content-type': promText});
			response.write(v1Page.slice(0, 1000));
		});
		const started = performance.now();
		const failure = expectFailure(
			await client({timeoutMs: 300}).scrape(`${server.url}/metrics`),
		);
		const elapsed = performance.now() - started;
		assert.equal(failure.kind, 'timeout');
		assert.match(failure.message, /rest of the body/u);
		assert.ok(elapsed < 300 + 250, `took ${elapsed} ms`);
	});

	test(
		'a connection reset mid-body is a network failure',
		testOptions,
		async () => {
			const server = await serve((request, response) => {
				response.writeHead(200, {
					'content-type': promText,
					'content-length': String(v1Page.length),
				});
				const destroySoon = () => {
					setTimeout(() => {
						request.socket.destroy();
					}, 20);
				};

				response.write(v1Page.slice(0, 5000), destroySoon);
			});
			const failure = expectFailure(
				await client().scrape(`${server.url}/metrics`),
			);
			assert.equal(failure.kind, 'network');
			assert.match(
				failure.message,
				/closed the connection in the middle of the body/u,
			);
			assert.equal(failure.status, 200);
		},
	);

	test(
		'a 30 MB streamed body is too large for the default 16 MiB cap',
		testOptions,
		async () => {
			let bytesWritten = 0;
			let closedEarly = false;
			const server = await serve((request, response) => {
				response.writeHead(200, {'content-type': promText});
				const chunk = Buffer.alloc(1 << 20, '# padding line\n');
				const writeMore = () => {
					while (bytesWritten < 30 * 1000 * 1000) {
						bytesWritten += chunk.length;
						if (!response.write(chunk)) {
							response.once('drain', writeMore);
							return;
						}
					}

					response.end();
				};

				request.socket.once('close', () => {
					closedEarly = bytesWritten < 30 * 1000 * 1000;
				});
				writeMore();
			});
			const failure = expectFailure(
				await client().scrape(`${server.url}/metrics`),
			);
			assert.equal(failure.kind, 'too-large');
			assert.match(failure.message, /16 MiB cap/u);
			assert.match(failure.message, /--max-bytes/u);
			await new Promise(resolve => {
				setTimeout(resolve, 100);
			});
			assert.ok(
				closedEarly,
				'the client should abort the transfer at the cap, not read it all',
			);
		},
	);

	test(
		'a declared Content-Length over a lowered cap fails before reading',
		testOptions,
		async () => {
			const server = await serve((_request, response) => {
				servePage(response);
			});
			const failure = expectFailure(
				await client({maxBytes: 64 * 1024}).scrape(`${server.url}/metrics`),
			);
			assert.equal(failure.kind, 'too-large');
			assert.match(failure.message, /64 KiB cap/u);
		},
	);

	test(
		'a gzip bomb is too-large, with memory staying bounded',
		testOptions,
		async () => {
			// 64 concatenated gzip members of 16 MiB of zeros: about 1 MB on the wire, 1 GiB decoded.
			const member = gzipSync(Buffer.alloc(16 << 20));
			const bomb = Buffer.concat(Array.from({length: 64}, () => member));
			assert.ok(bomb.length < 2 << 20);
			const server = await serve((_request, response) => {
				response.writeHead(200, {
					'content-type': promText,
					'content-encoding': 'gzip',
				});
				response.end(bomb);
			});
			const rssBefore = process.memoryUsage().rss;
			const failure = expectFailure(
				await client().scrape(`${server.url}/metrics`),
			);
			const rssGrowth = process.memoryUsage().rss - rssBefore;
			assert.equal(failure.kind, 'too-large');
			assert.match(
				failure.message,
				/decompressed body is over the 16 MiB cap/u,
			);
			assert.ok(rssGrowth < 200 << 20, `rss grew by ${rssGrowth >> 20} MiB`);
		},
	);

	test(
		'HTTP 500 is an http-status failure with the status',
		testOptions,
		async () => {
			const server = await serve((_request, response) => {
				response.writeHead(500, {'content-type': 'text/plain'}).end('boom');
			});
			const url = `${server.url}/metrics`;
			const failure = expectFailure(await client().scrape(url));
			assert.equal(failure.kind, 'http-status');
			assert.equal(failure.status, 500);
			assert.equal(
				failure.message,
				`${url}: HTTP 500 Internal Server Error: the server failed: check its logs`,
			);
		},
	);

	test(
		'an HTML 404 asks whether this is a /metrics endpoint',
		testOptions,
		async () => {
			const server = await serve((_request, response) => {
				response
					.writeHead(404, {'content-type': 'text/html'})
					.end('<html><body>Not Found</body></html>');
			});
			const failure = expectFailure(
				await client().scrape(`${server.url}/stats`),
			);
			assert.equal(failure.kind, 'http-status');
			assert.equal(failure.status, 404);
			assert.match(failure.message, /not a \/metrics endpoint\?/u);
		},
	);

	test('401 and 403 point at --api-key', testOptions, async () => {
		for (const status of [401, 403]) {
			const server = await serve((_request, response) => {
				response
					.writeHead(status, {'content-type': 'application/json'})
					.end('{"error":"Unauthorized"}');
			});
			const failure = expectFailure(
				await client().scrape(`${server.url}/metrics`),
			);
			assert.equal(failure.kind, 'http-status');
			assert.equal(failure.status, status);
			assert.match(failure.message, /--api-key/u);
		}
	});

	test('a 200 HTML or JSON page is not-prometheus', testOptions, async () => {
		const server = await serve((request, response) => {
			const json = request.url === '/json';
			response.writeHead(200, {
				'content-type': json ? 'application/json' : 'text/html; charset=utf-8',
			});
			response.end(
				json ? '{"ok":true}' : '<!doctype html><title>Grafana</title>',
			);
		});
		const html = expectFailure(await client().scrape(`${server.url}/`));
		assert.equal(html.kind, 'not-prometheus');
		assert.match(html.message, /an HTML page/u);
		const json = expectFailure(await client().scrape(`${server.url}/json`));
		assert.equal(json.kind, 'not-prometheus');
		assert.match(json.message, /JSON/u);
	});

	test(
		'a redirect loop is reported after 3 redirects',
		testOptions,
		async () => {
			let hits = 0;
			const server = await serve((_request, response) => {
				hits++;
				response.writeHead(302, {location: '/metrics'}).end();
			});
			const failure = expectFailure(
				await client().scrape(`${server.url}/metrics`),
			);
			assert.equal(failure.kind, 'http-status');
			assert.match(failure.message, /more than 3 redirects/u);
			assert.equal(hits, 4);
		},
	);

	test('a closed port is refused: starting or down', testOptions, async () => {
		const server = await startHttpServer(() => {
			// Only opened to find a free port.
		});
		await server.close();
		const url = `http://127.0.0.1:${server.port}/metrics`;
		const failure = expectFailure(await client().scrape(url));
		assert.equal(failure.kind, 'refused');
		assert.ok(
			failure.message.startsWith(
				`${url}: connection refused: starting or down`,
			),
			failure.message,
		);
		assert.match(failure.message, /refuses connections while the model loads/u);
	});

	test(
		'an unknown host is a DNS failure naming the host',
		testOptions,
		async () => {
			const failure = expectFailure(
				await client().scrape('http://no-such-host.invalid:8000/metrics'),
			);
			assert.equal(failure.kind, 'network');
			assert.match(
				failure.message,
				/host no-such-host\.invalid:8000 not found/u,
			);
		},
	);

	test(
		'a caller abort ends the scrape as cancelled, not timeout',
		testOptions,
		async () => {
			const server = await serve(() => {
				// Never answers.
			});
			const controller = new AbortController();
			setTimeout(() => {
				controller.abort();
			}, 50);
			const failure = expectFailure(
				await client().scrape(`${server.url}/metrics`, controller.signal),
			);
			assert.equal(failure.kind, 'network');
			assert.match(failure.message, /cancelled/u);
		},
	);

	test(
		'after failures the same client scrapes fine again',
		testOptions,
		async () => {
			let mode: 'hang' | 'ok' = 'hang';
			const server = await serve((_request, response) => {
				if (mode === 'ok') {
					servePage(response);
				}
			});
			const scraper = client({timeoutMs: 200});
			expectFailure(await scraper.scrape(`${server.url}/metrics`));
			mode = 'ok';
			const result = await scraper.scrape(`${server.url}/metrics`);
			assert.ok(result.ok);
		},
	);
});

describe('scrape client: getJson, probe and post', () => {
	test(
		'getJson reads /version and rejects bad JSON and error statuses',
		testOptions,
		async () => {
			const server = await serve((request, response) => {
				if (request.url === '/version') {
					response
						.writeHead(200, {'content-type': 'application/json'})
						.end('{"version":"0.9.2"}');
				} else if (request.url === '/broken') {
					response
						.writeHead(200, {'content-type': 'application/json'})
						.end('{"version":');
				} else {
					response
						.writeHead(404, {'content-type': 'application/json'})
						.end('{"detail":"Not Found"}');
				}
			});
			const scraper = client();
			assert.deepEqual(await scraper.getJson(`${server.url}/version`), {
				ok: true,
				status: 200,
				json: {version: '0.9.2'},
			});
			const broken = await scraper.getJson(`${server.url}/broken`);
			assert.ok(!broken.ok);
			assert.match(broken.message, /not valid JSON/u);
			const missing = await scraper.getJson(`${server.url}/nope`);
			assert.ok(!missing.ok);
			assert.equal(missing.status, 404);
		},
	);

	test('getJson honours its own smaller cap', testOptions, async () => {
		const server = await serve((_request, response) => {
			response
				.writeHead(200, {'content-type': 'application/json'})
				.end(JSON.stringify({pad: 'x'.repeat(5000)}));
		});
		const result = await client().getJson(`${server.url}/server_info`, {
			maxBytes: 1024,
		});
		assert.ok(!result.ok);
		assert.equal(result.kind, 'too-large');
	});

	test(
		'probe reports any status code, 503 included, and refusals as failures',
		testOptions,
		async () => {
			const server = await serve((request, response) => {
				response.writeHead(request.url === '/health' ? 503 : 200).end();
			});
			assert.deepEqual(await client().probe(`${server.url}/health`), {
				ok: true,
				status: 503,
			});
			await server.close();
			const refused = await client().probe(`${server.url}/health`);
			assert.ok(!refused.ok);
			assert.equal(refused.kind, 'refused');
		},
	);

	test(
		'post with a null timeout waits past the client deadline',
		testOptions,
		async () => {
			let method: string | undefined;
			const server = await serve((request, response) => {
				method = request.method;
				setTimeout(() => {
					response.writeHead(200).end();
				}, 600);
			});
			const result = await postProfiler(
				client({timeoutMs: 200}),
				`${server.url}/stop_profile`,
				{timeoutMs: null},
			);
			assert.deepEqual(result, {ok: true, status: 200, body: ''});
			assert.equal(method, 'POST');
		},
	);

	test(
		'post reports 404 (profiling off) as an http-status failure',
		testOptions,
		async () => {
			const server = await serve((_request, response) => {
				response
					.writeHead(404, {'content-type': 'application/json'})
					.end('{"detail":"Not Found"}');
			});
			const result = await postProfiler(
				client(),
				`${server.url}/start_profile`,
				{
					timeoutMs: 1000,
				},
			);
			assert.ok(!result.ok);
			assert.equal(result.kind, 'http-status');
			assert.equal(result.status, 404);
		},
	);

	test(
		'close() cancels a post that would wait forever',
		testOptions,
		async () => {
			const server = await serve(() => {
				// Never answers, like a long trace flush.
			});
			const scraper = createScrapeClient();
			const pending = postProfiler(scraper, `${server.url}/stop_profile`, {
				timeoutMs: null,
			});
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
			await scraper.close();
			const result = await pending;
			assert.ok(!result.ok);
			assert.match(result.message, /cancelled/u);
			const afterClose = await scraper.scrape(`${server.url}/metrics`);
			assert.ok(!afterClose.ok);
			assert.match(afterClose.message, /closed/u);
		},
	);
});
