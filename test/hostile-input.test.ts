/**
Hostile files and flags: YAML that expands without end, secrets in URLs and malformed headers, and a server that
redirects elsewhere hoping for the user's credentials. Each ends in one line, exit 2 where it is the user's input,
and no secret in any output.
*/
import assert from 'node:assert/strict';
import type {IncomingHttpHeaders} from 'node:http';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, test} from 'node:test';
import {startHttpServer} from './support/http-server.js';
import {cliMissing, runCli, type CliResult} from './support/run-cli.js';

const directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-hostile-input-'));
function file(name: string, text: string): string {
	const where = path.join(directory, name);
	writeFileSync(where, text);
	return where;
}

/** Nine levels of nine aliases each: 9^9 nodes once expanded. */
const aliasBomb = [
	'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
	...[...'bcdefghi'].map(
		(name, index) =>
			`${name}: &${name} [${Array.from({length: 9}, () => `*${'abcdefghi'[index]}`).join(',')}]`,
	),
].join('\n');

function assertOneLine(result: CliResult): void {
	assert.equal(result.code, 2, result.stderr);
	assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
	assert.doesNotMatch(result.stderr, /\n\s+at /u);
}

function assertNoSecret(result: CliResult, ...secrets: string[]): void {
	for (const secret of secrets) {
		assert.ok(!result.stdout.includes(secret), `stdout shows ${secret}`);
		assert.ok(!result.stderr.includes(secret), `stderr shows ${secret}`);
	}
}

describe('hostile files and flags', {skip: cliMissing, timeout: 60_000}, () => {
	test('an alias bomb in --config exits 2 with one line', async () => {
		const result = await runCli([
			'--once',
			'--config',
			file('bomb.yaml', aliasBomb),
			':1',
		]);
		assertOneLine(result);
		assert.match(result.stderr, /aliases expand too far/u);
	});

	test('an alias bomb in --targets exits 2 with one line', async () => {
		const result = await runCli([
			'--once',
			'--targets',
			file('targets-bomb.yaml', aliasBomb),
		]);
		assertOneLine(result);
		assert.match(result.stderr, /aliases expand too far/u);
	});

	test('a few aliases, as people write them, still load', async () => {
		const config = file(
			'aliases.yaml',
			'thresholds:\n  ttft_p95_high: &slow {value: 800ms}\n  itl_p95_high: {value: 40ms}\n',
		);
		const result = await runCli(['--once', '--json', '--config', config, ':1']);
		assert.equal(result.code, 3, result.stderr);
	});

	test('credentials in a --prometheus URL are refused without being shown', async () => {
		const result = await runCli([
			'--once',
			'--prometheus',
			'http://admin:PASSWORD123@127.0.0.1:1',
		]);
		assertOneLine(result);
		assert.match(result.stderr, /--prometheus-user/u);
		assertNoSecret(result, 'PASSWORD123');
	});

	test('credentials in a scrape URL or a targets file URL are refused without being shown', async () => {
		const direct = await runCli([
			'--once',
			'http://admin:PASSWORD123@127.0.0.1:1',
		]);
		assertOneLine(direct);
		assertNoSecret(direct, 'PASSWORD123');
		const targets = file(
			'targets-secret.yaml',
			'targets:\n  - url: http://admin:PASSWORD123@127.0.0.1:1\n',
		);
		const fromFile = await runCli(['--once', '--targets', targets]);
		assertOneLine(fromFile);
		assertNoSecret(fromFile, 'PASSWORD123');
	});

	test('a malformed --header shows no secret', async () => {
		for (const header of ['X-Other SECRET456', 'X-Key: SECRET456\u0007']) {
			const result = await runCli(['--once', '--header', header, ':1']);
			assertOneLine(result);
			assertNoSecret(result, 'SECRET456');
		}
	});
});

describe(
	'a redirect to another origin',
	{skip: cliMissing, timeout: 60_000},
	() => {
		test('gets none of the headers, API key or targets-file key the user gave', async () => {
			const seen: IncomingHttpHeaders[] = [];
			const elsewhere = await startHttpServer((request, response) => {
				seen.push(request.headers);
				response.writeHead(200, {'content-type': 'text/plain'});
				response.end('vllm:num_requests_running 1\n');
			});
			const first = await startHttpServer((request, response) => {
				response.writeHead(302, {
					location: `${elsewhere.url}${request.url ?? '/'}`,
				});
				response.end();
			});
			try {
				const flags = [
					'--header',
					'Cookie: session=COOKIE111',
					'--header',
					'X-Api-Key: KEY222',
					'--header',
					'Proxy-Authorization: Basic PROXY333',
				];
				const byFlag = await runCli([
					'--once',
					'-i',
					'0.5',
					'--api-key',
					'BEARER444',
					...flags,
					first.url,
				]);
				assert.notEqual(byFlag.code, 3, byFlag.stdout);
				const targets = file(
					'targets-redirect.yaml',
					`targets:\n  - name: a\n    url: ${first.url}\n    api_key: FILEKEY555\n`,
				);
				const byFile = await runCli([
					'--once',
					'-i',
					'0.5',
					'--targets',
					targets,
				]);
				assert.notEqual(byFile.code, 3, byFile.stdout);
				assert.ok(
					seen.length >= 4,
					`the other origin was asked (${seen.length})`,
				);
				const sent = JSON.stringify(seen);
				for (const secret of [
					'COOKIE111',
					'KEY222',
					'PROXY333',
					'BEARER444',
					'FILEKEY555',
				]) {
					assert.ok(
						!sent.includes(secret),
						`${secret} reached the other origin`,
					);
					assertNoSecret(byFlag, secret);
					assertNoSecret(byFile, secret);
				}
			} finally {
				await first.close();
				await elsewhere.close();
			}
		});

		test('the same origin keeps them', async () => {
			const seen: IncomingHttpHeaders[] = [];
			const server = await startHttpServer((request, response) => {
				if (request.url === '/metrics') {
					response.writeHead(302, {location: '/moved/metrics'});
					response.end();
					return;
				}

				seen.push(request.headers);
				response.writeHead(200, {'content-type': 'text/plain'});
				response.end('vllm:num_requests_running 1\n');
			});
			try {
				await runCli([
					'--once',
					'-i',
					'0.5',
					'--header',
					'X-Api-Key: KEY222',
					server.url,
				]);
				assert.ok(seen.some(headers => headers['x-api-key'] === 'KEY222'));
			} finally {
				await server.close();
			}
		});
	},
);
