import assert from 'node:assert/strict';
import {test} from 'node:test';
import {startFakeOpenAi} from './support/fake-openai.js';
import {cliMissing, runCli, startCli} from './support/run-cli.js';

const small = ['-n', '12', '--input-len', '8', '--output-len', '4', '--plain'];

for (const [behaviour, reason] of [
	['error500', /HTTP 500: engine exploded/],
	['disconnect', /disconnected mid-stream after N chunks/],
	['hang', /no complete answer within 1 s \(deadline\)/],
] as const) {
	test(
		`a server that ${behaviour === 'error500' ? 'answers 500' : behaviour === 'disconnect' ? 'drops streams' : 'hangs'}: every request fails with its reason and the report prints`,
		{skip: cliMissing, timeout: 30_000},
		async () => {
			const server = await startFakeOpenAi(behaviour);
			try {
				const result = await runCli(
					['bench', server.url, ...small, '--timeout', '1'],
					{timeoutMs: 20_000},
				);
				assert.equal(result.code, 0, result.stderr);
				assert.match(result.stdout, /Successful requests:\s+0\n/);
				assert.match(result.stdout, /Failed requests:\s+12\n/);
				assert.match(result.stdout, reason);
				assert.match(result.stdout, /\s12 × /);
			} finally {
				await server.close();
			}
		},
	);
}

/** A field of parsed JSON. */
function field(value: unknown, key: string): unknown {
	return typeof value === 'object' && value !== null
		? Reflect.get(value, key)
		: undefined;
}

test(
	'Ctrl-C stops sending, drains, prints the partial report and exits 130',
	{skip: cliMissing, timeout: 30_000},
	async () => {
		const server = await startFakeOpenAi('hang');
		const bench = startCli(
			[
				'bench',
				server.url,
				'-n',
				'1000',
				'--request-rate',
				'20',
				'--drain-timeout',
				'0.5',
				'--json',
			],
			{timeoutMs: 20_000},
		);
		try {
			await new Promise(resolve => {
				setTimeout(resolve, 4000);
			});
			const started = performance.now();
			const result = await bench.stop('SIGINT', {timeoutMs: 10_000});
			assert.equal(result.code, 130, bench.describe());
			assert.ok(performance.now() - started < 5000);
			const doc: unknown = JSON.parse(result.stdout);
			assert.equal(field(doc, 'partial'), true);
			const failed = Number(field(doc, 'failed'));
			assert.ok(failed > 5 && failed < 1000, `failed ${failed}`);
		} finally {
			await bench.stop('SIGKILL').catch(() => undefined);
			await server.close();
		}
	},
);

test(
	'bad flags exit 2, an unreachable server exits 3, missed SLOs exit 1',
	{skip: cliMissing, timeout: 30_000},
	async () => {
		const flag = await runCli(['bench', '--request-rate', 'fast']);
		assert.equal(flag.code, 2);
		assert.match(
			flag.stderr,
			/--request-rate takes a number .* or inf, got 'fast'/,
		);
		const unknown = await runCli(['bench', '--frobnicate']);
		assert.equal(unknown.code, 2);
		const down = await runCli(['bench', 'http://127.0.0.1:9', '--plain']);
		assert.equal(down.code, 3);
		assert.match(
			down.stderr,
			/cannot reach http:\/\/127\.0\.0\.1:9\/v1\/models \(connection refused\)/,
		);
		const server = await startFakeOpenAi('ok');
		try {
			const strict = await runCli([
				'bench',
				server.url,
				...small,
				'--goodput',
				'ttft:0.000001',
			]);
			assert.equal(strict.code, 1, strict.stderr);
			assert.match(strict.stdout, /Request goodput \(req\/s\):\s+0\.00/);
			const loose = await runCli([
				'bench',
				server.url,
				...small,
				'--goodput',
				'ttft:60000',
				'e2el:60000',
			]);
			assert.equal(loose.code, 0, loose.stderr);
		} finally {
			await server.close();
		}
	},
);
