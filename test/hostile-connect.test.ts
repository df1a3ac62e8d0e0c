import assert from 'node:assert/strict';
import {performance} from 'node:perf_hooks';
import {after, before, describe, test} from 'node:test';
import {postProfiler} from '../source/profiler/profiler-post.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {cliMissing, repoRoot, runCli, startCli} from './support/run-cli.js';
import {startTmux, tmuxMissing} from './support/tmux.js';
import {
	startSilentListener,
	startSynDroppingPort,
	type StalledListener,
} from './support/stalled-listeners.js';

let silent: StalledListener;
/** A port nothing listens on: bound, then closed. */
let refusedPort = 0;
const refusedUrl = () => `http://127.0.0.1:${refusedPort}`;
let dropping: StalledListener;
before(async () => {
	silent = await startSilentListener();
	dropping = await startSynDroppingPort();
	const closed = await startSilentListener();
	refusedPort = closed.port;
	await closed.close();
});
after(async () => {
	await silent.close();
	await dropping.close();
});

async function timed<T>(work: Promise<T>): Promise<{value: T; ms: number}> {
	const started = performance.now();
	const value = await work;
	return {value, ms: performance.now() - started};
}

describe('the deadline covers connecting', {timeout: 30_000}, () => {
	test('a TLS handshake that never completes ends at the deadline, naming the phase', async () => {
		const client = createScrapeClient({timeoutMs: 500});
		try {
			const {value, ms} = await timed(
				client.scrape(`https://127.0.0.1:${silent.port}/metrics`),
			);
			assert.ok(!value.ok);
			assert.equal(value.kind, 'timeout');
			assert.match(
				value.message,
				/connect timeout after 500 ms in the TLS handshake/u,
			);
			assert.ok(ms < 900, `took ${Math.round(ms)} ms`);
		} finally {
			await client.close();
		}
	});

	test('a port that drops SYNs ends at the deadline in the TCP handshake', async () => {
		const client = createScrapeClient({timeoutMs: 500});
		try {
			const {value, ms} = await timed(
				client.scrape(`http://127.0.0.1:${dropping.port}/metrics`),
			);
			assert.ok(!value.ok);
			assert.match(
				value.message,
				/connect timeout after 500 ms: no answer to the TCP handshake/u,
			);
			assert.ok(ms < 900, `took ${Math.round(ms)} ms`);
		} finally {
			await client.close();
		}
	});

	test('/version, /health and the profiler POST keep the same deadline', async () => {
		const client = createScrapeClient({timeoutMs: 400});
		const base = `https://127.0.0.1:${silent.port}`;
		try {
			const {value: answers, ms} = await timed(
				Promise.all([
					client.getJson(`${base}/version`),
					client.probe(`${base}/health`),
					postProfiler(client, `${base}/start_profile`, {timeoutMs: 400}),
				]),
			);
			for (const answer of answers) {
				assert.ok(!answer.ok);
				assert.match(answer.message, /connect timeout after 400 ms/u);
			}

			assert.ok(ms < 800, `took ${Math.round(ms)} ms`);
		} finally {
			await client.close();
		}
	});

	test('closing while a connection hangs answers at once', async () => {
		const client = createScrapeClient({timeoutMs: 10_000});
		const pending = client.scrape(`http://127.0.0.1:${dropping.port}/metrics`);
		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
		const {ms} = await timed(client.close());
		const result = await pending;
		assert.ok(!result.ok);
		assert.match(result.message, /cancelled/u);
		assert.ok(ms < 200, `close took ${Math.round(ms)} ms`);
	});
});

describe(
	'--once --timeout 2 against a server that never connects',
	{skip: cliMissing, timeout: 30_000},
	() => {
		for (const [what, url] of [
			[
				'a never-completing TLS handshake',
				() => `https://127.0.0.1:${silent.port}`,
			],
			['a SYN-dropping port', () => `http://127.0.0.1:${dropping.port}`],
		] as const) {
			test(`${what}: exit 3 within 3 s, a connect timeout message`, async () => {
				// Starting node on a busy machine takes time of its own: measured here on a port that refuses at once.
				const refused = await timed(
					runCli(['--once', '--timeout', '2', refusedUrl()]),
				);
				assert.equal(refused.value.code, 3);
				const {value: result, ms} = await timed(
					runCli(['--once', '--timeout', '2', '-i', '0.5', url()]),
				);
				assert.equal(result.code, 3, result.stderr);
				assert.match(result.stdout, /connect timeout after 2000 ms/u);
				assert.ok(
					ms - refused.ms < 3000,
					`took ${Math.round(ms)} ms, ${Math.round(refused.ms)} ms of it to start and end`,
				);
			});
		}
	},
);

describe(
	'quitting while a connection hangs',
	{skip: cliMissing, timeout: 60_000},
	() => {
		test('SIGINT ends --once and the plain lines within 1 s, mid-connect', async () => {
			for (const args of [['--once'], ['--plain', '-i', '1']]) {
				const running = startCli([
					...args,
					'--timeout',
					'10',
					`http://127.0.0.1:${dropping.port}`,
				]);

				await new Promise(resolve => {
					setTimeout(resolve, 1500);
				});
				const started = performance.now();

				const result = await running.stop('SIGINT', {timeoutMs: 5000});
				const ms = performance.now() - started;
				assert.equal(result.signal, null, running.describe());
				assert.ok(ms < 1000, `${args.join(' ')}: took ${Math.round(ms)} ms`);
			}
		});

		test(
			'q ends the full-screen view within 1 s, mid-connect',
			{skip: tmuxMissing()},
			async () => {
				const tmux = startTmux({
					command: `node dist/cli.js --timeout 10 http://127.0.0.1:${dropping.port}; echo EXITED:$?; sleep 30`,
					columns: 100,
					rows: 30,
					cwd: repoRoot,
				});
				try {
					await tmux.waitFor(screen => screen.includes('q quit'), 25_000);
					await new Promise(resolve => {
						setTimeout(resolve, 1000);
					});
					const started = performance.now();
					tmux.sendKeys('q');
					await tmux.waitFor(screen => /^EXITED:0$/mu.test(screen), 5000);
					const ms = performance.now() - started;
					assert.ok(ms < 1000, `took ${Math.round(ms)} ms`);
				} finally {
					tmux.kill();
				}
			},
		);
	},
);
