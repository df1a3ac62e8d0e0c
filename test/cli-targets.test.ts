/**
`--targets FILE` on the built CLI: a YAML fleet of simulators checked with `--once --json`, per-target API keys, and
the one-line refusal of a bad file that names it.
*/
import assert from 'node:assert/strict';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {startHttpServer} from './support/http-server.js';
import {cliMissing, parseFleet, runCli} from './support/run-cli.js';

let directory = '';

before(async () => {
	directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-cli-targets-'));
});

after(async () => {
	await rm(directory, {recursive: true, force: true});
});

const page = [
	'# TYPE vllm:num_requests_running gauge',
	'vllm:num_requests_running{engine="0",model_name="keyed-model"} 7',
	'# TYPE vllm:num_requests_waiting gauge',
	'vllm:num_requests_waiting{engine="0",model_name="keyed-model"} 0',
	'# TYPE vllm:kv_cache_usage_perc gauge',
	'vllm:kv_cache_usage_perc{engine="0",model_name="keyed-model"} 0.25',
	'',
].join('\n');

async function refused(yaml: string, name: string) {
	const file = path.join(directory, name);
	await writeFile(file, yaml);
	const result = await runCli([
		'--once',
		'--json',
		'-i',
		'0.5',
		'--targets',
		file,
	]);
	assert.equal(result.code, 2, result.stdout + result.stderr);
	const lines = result.stderr.split('\n').filter(line => line !== '');
	assert.equal(lines.length, 1, result.stderr);
	assert.ok(lines[0]!.includes(name), `names the file: ${lines[0]}`);
	assert.equal(result.stdout, '');
	return lines[0]!;
}

describe(
	'--targets FILE',
	{skip: cliMissing, timeout: 60_000, concurrency: 3},
	() => {
		test('two simulators by name: one --once --json document with both', async () => {
			const first = await startSimulator({seed: 21});
			const second = await startSimulator({seed: 22, legacyV0: true});
			try {
				const file = path.join(directory, 'two.yaml');
				await writeFile(
					file,
					`targets:\n  - name: gpu-a\n    url: ${first.url}\n  - name: gpu-b\n    url: ${second.url}\n`,
				);
				const result = await runCli([
					'--once',
					'--json',
					'-i',
					'0.5',
					'--targets',
					file,
				]);
				assert.ok(result.code !== null && result.code <= 2, result.stderr);
				const document = parseFleet(result.stdout);
				assert.deepEqual(
					document.targets.map(target => target.target),
					['gpu-a', 'gpu-b'],
				);
				assert.deepEqual(
					document.targets.map(target => target.server.generation),
					['v1', 'v0'],
				);
			} finally {
				await first.stop();
				await second.stop();
			}
		});

		test('api_key goes to its own target as a bearer token', async () => {
			const seen: string[] = [];
			const keyed = await startHttpServer((request, response) => {
				const url = new URL(request.url ?? '/', 'http://x');
				if (url.pathname === '/metrics') {
					seen.push(request.headers.authorization ?? '');
				}

				if (request.headers.authorization !== 'Bearer sk-test-b') {
					response.writeHead(401);
					response.end('unauthorized');
					return;
				}

				response.writeHead(url.pathname === '/metrics' ? 200 : 404, {
					'content-type': 'text/plain; version=0.0.4',
				});
				response.end(url.pathname === '/metrics' ? page : '');
			});
			try {
				const file = path.join(directory, 'keyed.yaml');
				await writeFile(
					file,
					`- name: keyed\n  url: ${keyed.url}\n  api_key: sk-test-b\n`,
				);
				const result = await runCli([
					'--once',
					'--json',
					'-i',
					'0.5',
					'--targets',
					file,
				]);
				assert.equal(result.code, 0, result.stdout + result.stderr);
				assert.ok(
					seen.length >= 2 &&
						seen.every(header => header === 'Bearer sk-test-b'),
				);
				const without = path.join(directory, 'unkeyed.yaml');
				await writeFile(without, `- name: keyed\n  url: ${keyed.url}\n`);
				const denied = await runCli([
					'--once',
					'--json',
					'-i',
					'0.5',
					'--targets',
					without,
				]);
				assert.equal(denied.code, 3, denied.stdout);
			} finally {
				await keyed.close();
			}
		});

		test('an entry with an unknown key is refused, naming the file', async () => {
			const line = await refused(
				'targets:\n  - name: a\n    url: http://127.0.0.1:1\n    colour: red\n',
				'unknown-key.yaml',
			);
			assert.match(line, /colour/);
		});

		test('an entry with a bad URL is refused, naming the file', async () => {
			await refused('targets:\n  - url: ftp://gpu\n', 'bad-url.yaml');
		});

		test('YAML that does not parse is refused, naming the file', async () => {
			await refused('targets: [\n  - url: {\n', 'broken.yaml');
		});

		test('a missing targets file is refused, naming it', async () => {
			const missing = path.join(directory, 'absent.yaml');
			const result = await runCli(['--once', '--targets', missing]);
			assert.equal(result.code, 2);
			const lines = result.stderr.split('\n').filter(line => line !== '');
			assert.equal(lines.length, 1, result.stderr);
			assert.match(lines[0]!, /absent\.yaml/);
		});
	},
);
