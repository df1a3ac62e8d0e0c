import assert from 'node:assert/strict';
import {test} from 'node:test';
import {dcgmExporterPort} from '../source/gpu/dcgm-fields.js';
import {normalizeTargetUrl} from '../source/scrape/target-url.js';

const accepted: ReadonlyArray<
	readonly [input: string, url: string, base: string]
> = [
	['localhost:8000', 'http://localhost:8000/metrics', 'http://localhost:8000'],
	['10.0.0.7:8001', 'http://10.0.0.7:8001/metrics', 'http://10.0.0.7:8001'],
	[
		'  localhost:8000  ',
		'http://localhost:8000/metrics',
		'http://localhost:8000',
	],
	['gpu-box', 'http://gpu-box:8000/metrics', 'http://gpu-box:8000'],
	['gpu-box/metrics', 'http://gpu-box:8000/metrics', 'http://gpu-box:8000'],
	[':8001', 'http://localhost:8001/metrics', 'http://localhost:8001'],
	['8001', 'http://localhost:8001/metrics', 'http://localhost:8001'],
	['[::1]', 'http://[::1]:8000/metrics', 'http://[::1]:8000'],
	['[::1]:9000/metrics', 'http://[::1]:9000/metrics', 'http://[::1]:9000'],
	['http://h', 'http://h/metrics', 'http://h'],
	['http://h/', 'http://h/metrics', 'http://h'],
	['https://h:8443/', 'https://h:8443/metrics', 'https://h:8443'],
	[
		'HTTP://Example.COM:80/',
		'http://example.com/metrics',
		'http://example.com',
	],
	['http://h:8000/metrics', 'http://h:8000/metrics', 'http://h:8000'],
	['http://h/vllm/', 'http://h/vllm/metrics', 'http://h/vllm'],
	['http://h/vllm/metrics', 'http://h/vllm/metrics', 'http://h/vllm'],
	['http://h/metrics/', 'http://h/metrics/', 'http://h'],
	// A path that names no metrics page is a prefix, as README promises for https://host/prefix.
	['https://h/prefix', 'https://h/prefix/metrics', 'https://h/prefix'],
	[
		'http://h/custom/path',
		'http://h/custom/path/metrics',
		'http://h/custom/path',
	],
	[
		'http://h/custom/vllm-metrics',
		'http://h/custom/vllm-metrics',
		'http://h/custom',
	],
	[
		'http://h/metrics?name[]=vllm#top',
		'http://h/metrics?name[]=vllm',
		'http://h',
	],
];

const rejected: ReadonlyArray<readonly [input: string, error: RegExp]> = [
	['', /^empty target URL/u],
	['   ', /^empty target URL/u],
	[
		'ftp://h/metrics',
		/unsupported scheme 'ftp'.*only http:\/\/ and https:\/\//u,
	],
	['file:///etc/passwd', /unsupported scheme 'file'/u],
	['http://', /^invalid target URL 'http:\/\/'/u],
	['http://h:99999', /^invalid target URL/u],
	['h:abc', /^invalid target URL 'h:abc'/u],
	['local host:8000', /contains spaces/u],
	['http://user:pw@h:8000', /credentials in the target URL .* --api-key/u],
];

test('normalizeTargetUrl accepts and normalizes', () => {
	for (const [input, url, base] of accepted) {
		assert.deepEqual(
			normalizeTargetUrl(input),
			{ok: true, url, base},
			`input ${JSON.stringify(input)}`,
		);
	}
});

test('normalizeTargetUrl rejects with one-line errors', () => {
	for (const [input, error] of rejected) {
		const result = normalizeTargetUrl(input);
		assert.equal(
			result.ok,
			false,
			`input ${JSON.stringify(input)} should be rejected`,
		);
		if (!result.ok) {
			assert.match(result.error, error);
			assert.doesNotMatch(result.error, /\n/u);
		}
	}
});

test('base + an endpoint path gives the sibling endpoints', () => {
	const result = normalizeTargetUrl('https://proxy.example/team-a/metrics');
	assert.ok(result.ok);
	assert.equal(`${result.base}/health`, 'https://proxy.example/team-a/health');
	assert.equal(
		`${result.base}/start_profile`,
		'https://proxy.example/team-a/start_profile',
	);
});

test('a DCGM exporter URL defaults to its own port and /metrics', () => {
	for (const [input, url] of [
		['gpu-a', 'http://gpu-a:9400/metrics'],
		[':9500', 'http://localhost:9500/metrics'],
		['gpu-a:9401', 'http://gpu-a:9401/metrics'],
		['http://gpu-a/dcgm', 'http://gpu-a/dcgm/metrics'],
	] as const) {
		const result = normalizeTargetUrl(input, dcgmExporterPort);
		assert.ok(result.ok);
		assert.equal(result.url, url, input);
	}
});
