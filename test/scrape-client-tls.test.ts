import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {startHttpServer, type TestServer} from './support/http-server.js';
import {fixturePath} from './support/fixture-path.js';

const page = readFileSync(fixturePath('vllm-v0-opt125m.txt'), 'utf8');
const testOptions = {timeout: 15_000};

/** A throwaway self-signed certificate for 127.0.0.1, or undefined when no openssl binary is available. */
function selfSignedCertificate(): {key: string; cert: string} | undefined {
	const directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-tls-'));
	try {
		const keyFile = path.join(directory, 'key.pem');
		const certFile = path.join(directory, 'cert.pem');
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-keyout',
				keyFile,
				'-out',
				certFile,
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
				'-addext',
				'subjectAltName=IP:127.0.0.1',
			],
			{stdio: 'ignore', timeout: 10_000},
		);
		return {
			key: readFileSync(keyFile, 'utf8'),
			cert: readFileSync(certFile, 'utf8'),
		};
	} catch {
		return undefined;
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}

const certificate = selfSignedCertificate();
let tlsServer: TestServer | undefined;
let plainServer: TestServer;

before(async () => {
	const handler: Parameters<typeof startHttpServer>[0] = (
		_request,
		response,
	) => {
		response
			.writeHead(200, {'content-type': 'text/plain; version=0.0.4'})
			.end(page);
	};

	plainServer = await startHttpServer(handler);
	if (certificate !== undefined) {
		tlsServer = await startHttpServer(handler, {tls: certificate});
	}
});

after(async () => {
	await plainServer.close();
	await tlsServer?.close();
});

test(
	'a self-signed certificate is a tls failure that mentions --insecure',
	{...testOptions, skip: certificate === undefined && 'no openssl'},
	async () => {
		const scraper = createScrapeClient();
		try {
			const url = `${tlsServer!.url}/metrics`;
			const result = await scraper.scrape(url);
			assert.ok(!result.ok);
			assert.equal(result.kind, 'tls');
			assert.ok(result.message.startsWith(`${url}: TLS error`), result.message);
			assert.match(result.message, /self-signed|self_signed/iu);
			assert.match(result.message, /--insecure/u);
		} finally {
			await scraper.close();
		}
	},
);

test(
	'--insecure scrapes the self-signed server',
	{...testOptions, skip: certificate === undefined && 'no openssl'},
	async () => {
		const scraper = createScrapeClient({insecure: true});
		try {
			const result = await scraper.scrape(`${tlsServer!.url}/metrics`);
			assert.ok(result.ok, JSON.stringify(result));
			assert.equal(result.body, page);
		} finally {
			await scraper.close();
		}
	},
);

test('https to a plain-HTTP port is a tls failure', testOptions, async () => {
	const scraper = createScrapeClient();
	try {
		const url = `https://127.0.0.1:${plainServer.port}/metrics`;
		const result = await scraper.scrape(url);
		assert.ok(!result.ok);
		assert.equal(result.kind, 'tls');
		assert.match(result.message, /plain HTTP; use http:\/\//u);
	} finally {
		await scraper.close();
	}
});
