/**
A real Prometheus on loopback for tests: a generated config scraping the given targets every second, its TSDB in a
temporary folder, stopped and cleaned up by `stop()`. Null when no `prometheus` binary is installed.
*/
import {spawn, spawnSync} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';

export type PrometheusServer = {
	readonly url: string;
	stop(): Promise<void>;
};

export function prometheusInstalled(): boolean {
	const found = spawnSync('prometheus', ['--version'], {stdio: 'ignore'});
	return found.status === 0;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => {
				resolve(port);
			});
		});
	});
}

/** `targets` are host:port pairs serving /metrics; `rules`, the text of a rules file to load, evaluated every scrape. */
export async function startPrometheus(
	targets: readonly string[],
	scrapeIntervalSeconds = 1,
	rules?: string,
): Promise<PrometheusServer> {
	const folder = await mkdtemp(path.join(tmpdir(), 'vllm-top-prom-'));
	const config = path.join(folder, 'prometheus.yml');
	if (rules !== undefined) {
		await writeFile(path.join(folder, 'rules.yml'), rules);
	}

	await writeFile(
		config,
		[
			'global:',
			`  scrape_interval: ${scrapeIntervalSeconds}s`,
			`  scrape_timeout: ${scrapeIntervalSeconds}s`,
			`  evaluation_interval: ${scrapeIntervalSeconds}s`,
			...(rules === undefined ? [] : ['rule_files: [rules.yml]']),
			'scrape_configs:',
			'  - job_name: vllm',
			'    static_configs:',
			`      - targets: [${targets.map(target => `'${target}'`).join(', ')}]`,
			'',
		].join('\n'),
	);
	const port = await freePort();
	const child = spawn(
		'prometheus',
		[
			`--config.file=${config}`,
			`--storage.tsdb.path=${path.join(folder, 'data')}`,
			`--web.listen-address=127.0.0.1:${port}`,
		],
		{stdio: ['ignore', 'ignore', 'pipe']},
	);
	let log = '';
	child.stderr.on('data', (chunk: Uint8Array) => {
		log = (log + String(chunk)).slice(-4000);
	});
	const exited = new Promise<void>(resolve => {
		child.once('exit', () => {
			resolve();
		});
	});
	const stop = async () => {
		if (child.exitCode === null) {
			child.kill('SIGTERM');
			const killed = await Promise.race([
				exited.then(() => true),
				sleep(5000).then(() => false),
			]);
			if (!killed) {
				child.kill('SIGKILL');
				await exited;
			}
		}

		await rm(folder, {recursive: true, force: true});
	};

	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) {
			await stop();
			throw new Error(`prometheus exited: ${log}`);
		}

		try {
			const response = await fetch(`${url}/-/ready`);
			if (response.ok) {
				return {url, stop};
			}
		} catch {
			// Not listening yet.
		}

		await sleep(200);
	}

	await stop();
	throw new Error(`prometheus not ready within 20 s: ${log}`);
}
