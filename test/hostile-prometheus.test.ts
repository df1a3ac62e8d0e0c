/**
A Prometheus API that answers every query with a gzip bomb (64 MB of zeros in 64 KB): the monitor's memory stays
bounded by its budget for answers in flight, whatever the number of queries a refresh sends.
*/
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, before, test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {gzipSync} from 'node:zlib';
import {createPrometheusClient} from '../source/prometheus/prometheus-client.js';
import {startHttpServer, type TestServer} from './support/http-server.js';
import {cliMissing, startCli} from './support/run-cli.js';

const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), {level: 9});
let server: TestServer;
let queries = 0;
before(async () => {
	server = await startHttpServer((_request, response) => {
		queries++;
		response.writeHead(200, {
			'content-type': 'application/json',
			'content-encoding': 'gzip',
		});
		response.end(bomb);
	});
});
after(async () => {
	await server.close();
});

/** Peak resident memory of a process so far, in MB. */
function peakRssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/^VmHWM:\s+(\d+) kB$/mu.exec(status)?.[1]);
	return kb / 1024;
}

test('a gzip-bomb answer is one line naming the cap', async () => {
	const client = createPrometheusClient({url: server.url});
	try {
		const answer = await client.query('up');
		assert.ok(!answer.ok);
		assert.match(answer.error, /more than 8 MiB: narrow --match/u);
	} finally {
		await client.close();
	}
});

test(
	'--prometheus against a gzip-bomb API stays under 200 MB RSS',
	{
		skip:
			cliMissing ?? (process.platform === 'linux' ? undefined : 'reads /proc'),
		timeout: 60_000,
	},
	async () => {
		const first = queries;
		const sent = () => queries - first;
		const running = startCli([
			'--prometheus',
			server.url,
			'--plain',
			'-i',
			'1',
		]);
		try {
			// Several refreshes, each of dozens of queries at once.
			const deadline = Date.now() + 20_000;
			while (sent() < 120 && Date.now() < deadline) {
				await delay(200);
			}

			assert.ok(sent() >= 120, `only ${sent()} queries were sent`);
			const peak = peakRssMb(running.child.pid!);
			assert.ok(peak < 200, `peak RSS ${Math.round(peak)} MB`);
		} finally {
			await running.stop('SIGINT');
		}
	},
);
