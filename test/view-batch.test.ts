import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {buildTargets} from '../source/modes/build-targets.js';
import {createMonitorSession} from '../source/session/scrape-session.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {fixturePath} from './support/fixture-path.js';
import {startHttpServer, type TestServer} from './support/http-server.js';

const page = readFileSync(
	fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'),
	'utf8',
);

/** A /metrics server that answers after `delayMs`. */
async function metricsServer(delayMs: number): Promise<TestServer> {
	return startHttpServer((request, response) => {
		setTimeout(() => {
			if (request.url === '/metrics') {
				response.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
				response.end(page);
			} else {
				response.writeHead(404);
				response.end();
			}
		}, delayMs);
	});
}

async function session(servers: readonly TestServer[]) {
	const built = buildTargets(servers.map(server => server.url));
	assert.ok(built.ok);
	const client = createScrapeClient();
	const monitor = createMonitorSession({
		targets: built.targets,
		clientFor: () => client,
		intervalMs: 60_000,
		windowSeconds: 60,
		alertConfig: defaultAlertConfig,
	});
	let changes = 0;
	monitor.store.subscribe(() => {
		changes++;
	});
	return {monitor, client, changes: () => changes};
}

test('a polling round over many targets lands in the store as one change', async () => {
	const servers = await Promise.all(
		[0, 20, 40, 60, 80, 100, 120, 140].map(async delay => metricsServer(delay)),
	);
	const {monitor, client, changes} = await session(servers);
	try {
		await monitor.scrapeAllOnce();
		assert.equal(changes(), 1);
		assert.ok(
			monitor.store.get().targets.every(view => view.phase === 'up'),
			monitor.store
				.get()
				.targets.map(view => view.phase)
				.join(', '),
		);
	} finally {
		await client.close();
		await Promise.all(servers.map(async server => server.close()));
	}
});

test('a slow target does not hold back the round: the others show within the batch wait', async () => {
	const servers = await Promise.all(
		[0, 2200].map(async delay => metricsServer(delay)),
	);
	const {monitor, client, changes} = await session(servers);
	try {
		const round = monitor.scrapeAllOnce();
		await sleep(1500);
		assert.equal(changes(), 1);
		assert.deepEqual(
			monitor.store.get().targets.map(view => view.phase),
			['up', 'starting'],
		);
		await round;
		assert.equal(changes(), 2);
		assert.equal(monitor.store.get().targets[1]!.phase, 'up');
	} finally {
		monitor.stop();
		await client.close();
		await Promise.all(servers.map(async server => server.close()));
	}
});
