import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	describeProfilerFailure,
	droppedDuringStop,
	profilerDisabledHint,
	profilerFailureOf,
	serverMessage,
	withoutTrailingSlash,
} from '../source/profiler/describe-profiler-failure.js';

const start = 'http://gpu-box:8000/start_profile';
const stop = 'http://gpu-box:8000/stop_profile';

test('404 means profiling is off, with both ways to turn it on', () => {
	const message = describeProfilerFailure('start', start, {
		kind: 'http-status',
		status: 404,
		message: 'whatever the client said',
	});
	assert.equal(message, profilerDisabledHint);
	assert.equal(
		message,
		'profiling is not enabled on this server: start vllm serve with --profiler-config \'{"profiler":"torch","torch_profiler_dir":"./vllm_profile"}\' (vLLM >= 0.13) or set VLLM_TORCH_PROFILER_DIR before starting it (older versions)',
	);
});

test("a 500 shows the server's own message on one line, trimmed", () => {
	const fastApi = describeProfilerFailure('stop', stop, {
		kind: 'http-status',
		status: 500,
		message: 'x',
		body: String.raw`{"detail":"RuntimeError: Profiling is not enabled.\n  File worker.py"}`,
	});
	assert.equal(
		fastApi,
		'the server failed to stop the profiler (HTTP 500): RuntimeError: Profiling is not enabled. File worker.py',
	);

	const openAi = describeProfilerFailure('start', start, {
		kind: 'http-status',
		status: 500,
		message: 'x',
		body: '{"error":{"message":"engine dead","type":"InternalServerError"}}',
	});
	assert.equal(
		openAi,
		'the server failed to start the profiler (HTTP 500): engine dead',
	);

	const long = serverMessage(`Traceback\n${'x'.repeat(500)}`);
	assert.equal(long?.length, 200);
	assert.ok(long?.endsWith('…'));
	assert.doesNotMatch(long ?? '', /\n/u);
});

test('a 500 without a body still names the status and where to look', () => {
	assert.equal(
		describeProfilerFailure('start', start, {
			kind: 'http-status',
			status: 500,
			message: `${start}: HTTP 500 Internal Server Error: the server failed: check its logs`,
		}),
		"the server failed to start the profiler (HTTP 500 Internal Server Error): check the server's log",
	);
	assert.equal(serverMessage('   \n'), null);
	assert.equal(serverMessage(undefined), null);
});

test('refused, dropped, timed out, cancelled and the rest', () => {
	assert.equal(
		describeProfilerFailure('start', start, {
			kind: 'refused',
			message: 'refused',
		}),
		'connection refused by http://gpu-box:8000: the server is down or still loading the model; try again once it answers',
	);
	assert.equal(
		describeProfilerFailure('stop', stop, {
			kind: 'network',
			message: `${stop}: the server closed the connection before it answered (UND_ERR_SOCKET: other side closed)`,
		}),
		droppedDuringStop,
	);
	assert.match(
		describeProfilerFailure('start', start, {
			kind: 'network',
			message: `${start}: the server closed the connection before it answered (ECONNRESET: read ECONNRESET)`,
		}),
		/^connection dropped while starting the profiler: it may be running on the server/u,
	);
	assert.match(
		describeProfilerFailure('start', start, {
			kind: 'timeout',
			message: 'timeout',
		}),
		/^no answer to \/start_profile from http:\/\/gpu-box:8000 in time/u,
	);
	assert.match(
		describeProfilerFailure('stop', stop, {
			kind: 'network',
			message: `${stop}: request cancelled`,
		}),
		/^stop cancelled before the server answered/u,
	);
	assert.match(
		describeProfilerFailure('start', start, {
			kind: 'http-status',
			status: 405,
			message: 'x',
		}),
		/does not accept POST \(HTTP 405\)/u,
	);
	assert.match(
		describeProfilerFailure('start', start, {
			kind: 'http-status',
			status: 401,
			message: 'x',
		}),
		/refused to start the profiler \(HTTP 401 Unauthorized\): .*--api-key/u,
	);
	assert.equal(
		describeProfilerFailure('start', start, {
			kind: 'tls',
			message: `${start}: TLS error: self-signed certificate`,
		}),
		`could not start the profiler: ${start}: TLS error: self-signed certificate`,
	);
});

test('profilerFailureOf keeps a body when a client reports one', () => {
	assert.deepEqual(profilerFailureOf({kind: 'refused', message: 'm'}), {
		kind: 'refused',
		message: 'm',
	});
	const withBody = {
		kind: 'http-status',
		status: 500,
		message: 'm',
		body: 'b',
	} as const;
	assert.deepEqual(profilerFailureOf(withBody), withBody);
	assert.equal(
		withoutTrailingSlash('http://h:8000/prefix//'),
		'http://h:8000/prefix',
	);
});
