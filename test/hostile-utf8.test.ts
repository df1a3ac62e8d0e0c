/**
Bytes that are not UTF-8 in a label value or HELP text: the page is rejected with the line, as Prometheus does, on
every way a page comes in (a scrape, a `samples` file, standard input or URL, a recording).
*/
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {Agent} from 'undici';
import {z} from 'zod';
import {fetchPage} from '../source/bench/server-watch.js';
import {decodeUtf8} from '../source/parse/decode-utf8.js';
import {encodeRecord} from '../source/record/record-line.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {startHttpServer, type TestServer} from './support/http-server.js';
import {cliMissing, runCli} from './support/run-cli.js';

/** Line 3 has a label value with a lone continuation byte and a truncated sequence. */
const badPage = Buffer.concat([
	Buffer.from(
		'# HELP vllm:num_requests_running Number of requests in model execution batches.\n# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{model_name="',
	),
	Buffer.from([0x80, 0xe2, 0x82]),
	Buffer.from('"} 1\n'),
]);
const goodPage = Buffer.from(
	'vllm:num_requests_running{model_name="Llama · 8B ✓"} 1\n',
);
const directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-utf8-'));
const errorLine = z.object({error: z.string(), line: z.number()});

let server: TestServer;
before(async () => {
	server = await startHttpServer((request, response) => {
		response.writeHead(200, {
			'content-type': 'text/plain; version=0.0.4; charset=utf-8',
		});
		response.end(request.url?.startsWith('/good') ? goodPage : badPage);
	});
});
after(async () => {
	await server.close();
});

test('decodeUtf8 names the first bad line and leaves good text alone', () => {
	assert.deepEqual(decodeUtf8(goodPage), {
		ok: true,
		text: goodPage.toString('utf8'),
	});
	const bad = decodeUtf8(badPage);
	assert.ok(!bad.ok);
	assert.equal(bad.line, 3);
	const lastLine = decodeUtf8(Buffer.from([0x61, 0x0a, 0xff]));
	assert.ok(!lastLine.ok && lastLine.line === 2);
});

test('a scrape of such a page fails, naming the line', async () => {
	const client = createScrapeClient();
	try {
		const result = await client.scrape(`${server.url}/metrics`);
		assert.ok(!result.ok);
		assert.equal(result.kind, 'not-prometheus');
		assert.equal(result.line, 3);
		assert.match(
			result.message,
			/line 3: not valid UTF-8; Prometheus rejects label values and HELP text/u,
		);
		const good = await client.scrape(`${server.url}/good/metrics`);
		assert.ok(good.ok && good.body.includes('Llama · 8B ✓'));
	} finally {
		await client.close();
	}
});

describe(
	'samples rejects it with exit 65 and the line',
	{skip: cliMissing, timeout: 30_000},
	() => {
		const file = path.join(directory, 'bad.prom');
		writeFileSync(file, badPage);
		for (const [how, args, input] of [
			['a FILE', [file], undefined],
			['standard input', ['-'], badPage],
		] as const) {
			test(how, async () => {
				const result = await runCli(
					['samples', ...args],
					input === undefined ? {} : {input},
				);
				assert.equal(result.code, 65, result.stderr);
				const line = errorLine.parse(JSON.parse(result.stdout));
				assert.equal(line.line, 3);
				assert.match(line.error, /not valid UTF-8/u);
			});
		}

		test('a URL', async () => {
			const result = await runCli(['samples', `${server.url}/metrics`]);
			assert.equal(result.code, 65, result.stderr);
			assert.equal(errorLine.parse(JSON.parse(result.stdout)).line, 3);
		});
	},
);

test(
	'--once --json shows the page as down, the line in the error',
	{skip: cliMissing, timeout: 30_000},
	async () => {
		const result = await runCli(['--once', '--json', server.url]);
		assert.equal(result.code, 3, result.stderr);
		const document = z
			.object({status: z.string(), error: z.string().nullable()})
			.parse(JSON.parse(result.stdout));
		assert.equal(document.status, 'down');
		const alerts = result.stdout;
		assert.match(alerts, /line 3: not valid UTF-8/u);
	},
);

test(
	'a recording line that is not UTF-8 is skipped with its number',
	{skip: cliMissing, timeout: 30_000},
	async () => {
		const at = Date.parse('2026-01-01T00:00:00Z');
		const record = (offset: number) =>
			encodeRecord(
				{
					ok: true,
					url: 'http://h:8000/metrics',
					at: at + offset,
					durationMs: 5,
					status: 200,
					contentType: 'text/plain',
					body: goodPage.toString('utf8'),
				},
				'h',
			).trimEnd();
		const file = path.join(directory, 'damaged.ndjson');
		writeFileSync(
			file,
			Buffer.concat([
				Buffer.from(`${record(0)}\n`),
				Buffer.from([0x7b, 0xff, 0x7d, 0x0a]),
				Buffer.from(`${record(5000)}\n`),
			]),
		);
		const result = await runCli(['--once', '--json', '--replay', file]);
		assert.match(result.stderr, /line 2: not valid UTF-8/u);
		assert.match(result.stdout, /"requests_running": 1/u);
	},
);

test('invalid UTF-8 in HELP text fails the scrape with its line too', async () => {
	const helpPage = Buffer.concat([
		Buffer.from('# HELP vllm:num_requests_waiting Requests '),
		Buffer.from([0xff, 0xfe]),
		Buffer.from(
			' waiting.\n# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting 0\n',
		),
	]);
	const helpServer = await startHttpServer((_request, response) => {
		response.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
		response.end(helpPage);
	});
	const client = createScrapeClient();
	try {
		const result = await client.scrape(`${helpServer.url}/metrics`);
		assert.ok(!result.ok);
		assert.equal(result.line, 1);
		assert.match(result.message, /line 1: not valid UTF-8/u);
	} finally {
		await client.close();
		await helpServer.close();
	}
});

test('bench reads /metrics as strict UTF-8 too: such a page gives no server column', async () => {
	const dispatcher = new Agent();
	try {
		assert.equal(
			await fetchPage(server.url, {}, dispatcher, 5000),
			undefined,
			'the bad page',
		);
		const good = await fetchPage(`${server.url}/good`, {}, dispatcher, 5000);
		assert.equal(
			good?.byName.get('vllm:num_requests_running')?.[0]?.labels['model_name'],
			'Llama · 8B ✓',
		);
	} finally {
		await dispatcher.close();
	}
});
