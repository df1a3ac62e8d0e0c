import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {readRecording} from '../source/record/read-recording.js';
import {
	encodeMeta,
	encodeRecord,
	type RecordedEntry,
	type ServerMeta,
} from '../source/record/record-line.js';
import {openRecorder} from '../source/record/recorder.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {startHttpServer} from './support/http-server.js';

const directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-record-sim-'));

after(async () => {
	await rm(directory, {recursive: true, force: true});
});

describe('record from the simulator', () => {
	for (const name of ['sim.ndjson', 'sim.ndjson.gz']) {
		test(
			`${name}: live scrapes, failures and /version, /health answers replay deep-equal`,
			{timeout: 30_000},
			async () => {
				const simulator = await startSimulator({
					timeScale: 0,
					seed: 7,
					startTimeMs: 1_735_689_600_000,
				});
				const gone = await startHttpServer(() => undefined);
				const goneUrl = `${gone.url}/metrics`;
				await gone.close();
				const client = createScrapeClient({timeoutMs: 2000});
				const file = path.join(directory, name);
				const opened = await openRecorder(file);
				assert.ok(opened.ok);
				const {recorder} = opened;
				const live: RecordedEntry[] = [];
				try {
					const version = await client.getJson(`${simulator.url}/version`);
					const health = await client.probe(`${simulator.url}/health`);
					assert.ok(version.ok && health.ok);
					assert.ok(
						typeof version.json === 'object' &&
							version.json !== null &&
							'version' in version.json,
					);
					const meta: ServerMeta = {
						at: Date.now(),
						url: simulator.url,
						version: String(version.json.version),
						healthStatus: health.status,
					};
					recorder.write(encodeMeta(meta, 'sim'));
					live.push({type: 'meta', name: 'sim', meta});
					for (let round = 0; round < 4; round++) {
						simulator.advance(5);
						const result = await client.scrape(`${simulator.url}/metrics`);
						assert.ok(result.ok, result.ok ? '' : result.message);
						recorder.write(encodeRecord(result, 'sim'));
						live.push({type: 'scrape', name: 'sim', result});
						const failure = await client.scrape(goneUrl);
						assert.equal(failure.ok, false);
						recorder.write(encodeRecord(failure, 'gone'));
						live.push({type: 'scrape', name: 'gone', result: failure});
					}
				} finally {
					await recorder.close();
					await client.close();
					await simulator.stop();
				}

				const warnings: string[] = [];
				const replayed: RecordedEntry[] = [];
				for await (const entry of readRecording(file, message => {
					warnings.push(message);
				})) {
					replayed.push(entry);
				}

				assert.deepEqual(warnings, []);
				assert.equal(replayed.length, 9);
				assert.deepEqual(replayed, live);
				const first = replayed[1];
				assert.ok(first?.type === 'scrape' && first.result.ok);
				assert.match(first.result.body, /^vllm:num_requests_running/mv);
			},
		);
	}
});
