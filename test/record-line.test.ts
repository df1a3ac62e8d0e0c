import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {emptyReading} from '../source/gpu/gpu-reading.js';
import type {RecordedGpu} from '../source/record/gpu-record.js';
import {decodeRecord} from '../source/record/decode-record.js';
import {
	encodeEntry,
	encodeMeta,
	encodeRecord,
	type ServerMeta,
} from '../source/record/record-line.js';
import type {ScrapeResult} from '../source/scrape/scrape-result.js';
import {sampleResult} from './support/recorded-results.js';

function roundTrip(result: ScrapeResult, name = 'gpu-1:8000'): void {
	const line = encodeRecord(result, name);
	assert.ok(!line.includes('\n'), 'a record is one line');
	const decoded = decodeRecord(line);
	assert.deepEqual(decoded, {ok: true, type: 'scrape', name, result});
}

function decodeError(line: string): string {
	const decoded = decodeRecord(line);
	assert.equal(decoded.ok, false, `expected an error for ${line}`);
	return decoded.ok ? '' : decoded.error;
}

describe('record line', () => {
	test('a success round-trips to a deep-equal ScrapeResult', () => {
		roundTrip(sampleResult(0));
		roundTrip({
			ok: true,
			url: 'https://h/metrics',
			at: 1_735_689_600_123,
			durationMs: 0.123_456_789,
			status: 200,
			contentType: 'application/openmetrics-text; version=1.0.0',
			body: 'a\nb\r\nc\t\u2028\u0000"\\ é 😀 \uD800 lone surrogate\n',
		});
	});

	test('failures round-trip with and without a status', () => {
		const timeout = sampleResult(3);
		const status = sampleResult(5);
		assert.equal(timeout.ok, false);
		assert.ok(!('status' in timeout));
		roundTrip(timeout);
		roundTrip(status);
		for (const kind of [
			'refused',
			'tls',
			'network',
			'too-large',
			'not-prometheus',
		] as const) {
			roundTrip({
				ok: false,
				url: 'http://x/metrics',
				at: 1,
				durationMs: 2,
				kind,
				message: `${kind} happened`,
			});
		}
	});

	test('the line uses the documented snake_case fields', () => {
		const line = encodeRecord(sampleResult(5), 'n');
		const parsed: unknown = JSON.parse(line);
		assert.ok(typeof parsed === 'object' && parsed !== null);
		assert.deepEqual(Object.keys(parsed).toSorted(), [
			'at',
			'duration_ms',
			'error',
			'kind',
			'name',
			'ok',
			'status',
			'target',
			'v',
		]);
		assert.match(line, /^\{"v":1,/v);
	});

	test('meta records round-trip and stay apart from scrapes', () => {
		const full: ServerMeta = {
			at: 5,
			url: 'http://h:8000',
			version: '0.11.0',
			healthStatus: 200,
		};
		const unreachable: ServerMeta = {
			at: 6,
			url: 'http://h:8000',
			healthError: 'connection refused',
		};
		for (const meta of [full, unreachable]) {
			assert.deepEqual(decodeRecord(encodeMeta(meta, 'h')), {
				ok: true,
				type: 'meta',
				name: 'h',
				meta,
			});
		}
	});

	test('an unknown version is an error naming the version', () => {
		const line = encodeRecord(sampleResult(0), 'n').replace('"v":1', '"v":2');
		assert.match(decodeError(line), /record version 2 is not supported/v);
		assert.match(decodeError('{"at":1}'), /no record version/v);
	});

	test('broken lines are errors naming the cause, never exceptions', () => {
		const good = encodeRecord(sampleResult(0), 'n');
		assert.match(decodeError(good.slice(0, -10)), /not valid JSON/v);
		assert.match(decodeError('[1,2]'), /not a JSON object/v);
		assert.match(decodeError('null'), /not a JSON object/v);
		assert.match(
			decodeError(good.replace('"body":', '"bodyx":')),
			/field "body" is missing/v,
		);
		assert.match(
			decodeError(good.replace('"status":200', '"status":"200"')),
			/field "status" must be a number/v,
		);
		assert.match(
			decodeError(good.replace('"ok":true', '"ok":1')),
			/"ok" must be true or false/v,
		);
		assert.match(
			decodeError(
				encodeRecord(sampleResult(3), 'n').replace('timeout', 'exploded'),
			),
			/unknown failure kind "exploded"/v,
		);
		assert.match(
			decodeError('{"v":1,"type":"snapshot","at":1}'),
			/unknown record type "snapshot"/v,
		);
	});

	test('a GPU poll round-trips, an answer and a failure, and a wrong field is refused by name', () => {
		const answer: RecordedGpu = {
			type: 'gpu',
			at: 1_735_689_600_000,
			source: 'nvidia-smi',
			names: ['gpu-1:8000', 'gpu-1:8001'],
			outcome: {
				ok: true,
				gpus: [
					emptyReading(0, 'NVIDIA H100 80GB HBM3', {
						power_w: 690,
						throttle_reasons: ['hw_thermal'],
						processes: [{pid: 7, name: 'python3', used_memory_mib: null}],
					}),
				],
			},
		};
		const failure: RecordedGpu = {
			...answer,
			outcome: {ok: false, error: 'nvidia-smi did not answer within 3 s'},
		};
		for (const entry of [answer, failure]) {
			assert.deepEqual(decodeRecord(encodeEntry(entry)), {ok: true, ...entry});
		}

		const line = encodeEntry(answer);
		assert.match(
			decodeError(line.replace('"power_w":690', '"power_w":"690"')),
			/field "gpus\.0\.power_w"/,
		);
		assert.match(
			decodeError(line.replace('"hw_thermal"', '"melting"')),
			/field "gpus\.0\.throttle_reasons\.0" is not a throttle reason/,
		);
		assert.match(
			decodeError(line.replace('"names":[', '"names":[1,')),
			/field "names\.0"/,
		);
	});
});
