import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	droppedDuringStop,
	profilerDisabledHint,
	restartedDuringCapture,
	restartedDuringStop,
	traceWritten,
	type ProfilerFailure,
} from '../source/profiler/describe-profiler-failure.js';
import {
	initialProfilerState,
	isBusy,
	reduceProfiler,
	toProfilerView,
	type ProfilerEffect,
	type ProfilerEvent,
	type ProfilerKey,
	type ProfilerState,
} from '../source/profiler/profiler-machine.js';

const base = 'http://gpu-box:8000';
const idle = initialProfilerState({baseUrl: `${base}/`});
const notFound: ProfilerFailure = {
	kind: 'http-status',
	status: 404,
	message: `${base}/start_profile: HTTP 404 Not Found: no such path on this server: check the URL path`,
};
const reset: ProfilerFailure = {
	kind: 'network',
	message: `${base}/stop_profile: the server closed the connection before it answered (ECONNRESET: other side closed)`,
};

function key(k: ProfilerKey, at = 1000): ProfilerEvent {
	return {type: 'key', key: k, at};
}

/** Runs events from a state; returns the last state and every effect, in order. */
function run(
	state: ProfilerState,
	...events: ProfilerEvent[]
): {state: ProfilerState; effects: ProfilerEffect[]} {
	const effects: ProfilerEffect[] = [];
	let current = state;
	for (const event of events) {
		const step = reduceProfiler(current, event);
		current = step.state;
		effects.push(...step.effects);
	}

	return {state: current, effects};
}

const types = (effects: readonly ProfilerEffect[]) =>
	effects.map(effect => effect.type);

function running(durationMs?: number): ProfilerState {
	const start = initialProfilerState({baseUrl: base, durationMs});
	return run(start, key('p'), key('y'), {type: 'start-ok', at: 5000}).state;
}

function stopping(): ProfilerState {
	return run(running(), key('p', 9000)).state;
}

test('p asks first; y starts; p confirms too; n and escape cancel', () => {
	const asked = run(idle, key('p'));
	assert.equal(asked.state.phase, 'confirm');
	assert.deepEqual(asked.effects, []);

	for (const confirm of ['y', 'p'] as const) {
		const started = run(asked.state, key(confirm));
		assert.equal(started.state.phase, 'starting');
		assert.deepEqual(types(started.effects), ['post-start']);
	}

	for (const cancel of ['n', 'escape'] as const) {
		const cancelled = run(asked.state, key(cancel));
		assert.equal(cancelled.state.phase, 'idle');
		assert.deepEqual(cancelled.effects, []);
	}
});

test('y, n and escape do nothing when no question is asked', () => {
	for (const k of ['y', 'n', 'escape'] as const) {
		const step = reduceProfiler(idle, key(k));
		assert.equal(step.state, idle);
		assert.deepEqual(step.effects, []);
	}
});

test('start-ok runs the capture from the moment the server answered', () => {
	const state = running();
	assert.equal(state.phase, 'running');
	assert.deepEqual(toProfilerView(state), {
		phase: 'running',
		startedAt: 5000,
		stoppingSince: null,
		detail: null,
	});
	assert.equal(isBusy(state), true);
});

test('p while running stops with no timeout of its own and shows since when it is writing', () => {
	const step = run(running(), key('p', 9000));
	assert.equal(step.state.phase, 'stopping');
	assert.equal(step.state.stoppingSince, 9000);
	assert.deepEqual(types(step.effects), ['cancel-auto-stop', 'post-stop']);
	const done = run(step.state, {type: 'stop-ok', at: 12_000});
	assert.deepEqual(toProfilerView(done.state), {
		phase: 'done',
		startedAt: null,
		stoppingSince: null,
		detail: traceWritten,
	});
	assert.equal(isBusy(done.state), false);
});

test('double presses: p p y starts once; p during the start is ignored; p p while stopping sends one stop', () => {
	const started = run(idle, key('p'), key('p'), key('y'), key('p'), key('p'));
	assert.equal(started.state.phase, 'starting');
	assert.deepEqual(types(started.effects), ['post-start']);

	const stopped = run(stopping(), key('p'), key('p'), key('y'));
	assert.equal(stopped.state.phase, 'stopping');
	assert.deepEqual(stopped.effects, []);
});

test('a second start-ok (a start while one runs) changes nothing; stale answers in idle are ignored', () => {
	const state = running();
	const again = reduceProfiler(state, {type: 'start-ok', at: 7000});
	assert.equal(again.state, state);
	assert.deepEqual(again.effects, []);

	for (const event of [
		{type: 'stop-ok', at: 1},
		{type: 'stop-failed', failure: reset},
		{type: 'start-failed', failure: notFound},
		{type: 'start-ok', at: 1},
	] satisfies ProfilerEvent[]) {
		const step = reduceProfiler(idle, event);
		assert.equal(step.state, idle, event.type);
		assert.deepEqual(step.effects, []);
	}
});

test('a stop while idle is impossible: p from idle only asks', () => {
	const step = run(idle, key('p'));
	assert.ok(!types(step.effects).includes('post-stop'));
});

test('404 on start becomes the enable hint, then p asks again', () => {
	const failed = run(idle, key('p'), key('y'), {
		type: 'start-failed',
		failure: notFound,
	});
	assert.equal(failed.state.phase, 'error');
	assert.equal(failed.state.detail, profilerDisabledHint);
	const again = run(failed.state, key('p'));
	assert.equal(again.state.phase, 'confirm');
	assert.equal(again.state.detail, null);
});

test('a dropped connection during the stop says the trace may still be written', () => {
	const failed = run(stopping(), {type: 'stop-failed', failure: reset});
	assert.equal(failed.state.phase, 'error');
	assert.equal(failed.state.detail, droppedDuringStop);
});

test('a server restart during capture loses the trace and cancels the auto-stop', () => {
	const step = run(running(60_000), {type: 'server-restarted', at: 8000});
	assert.equal(step.state.phase, 'error');
	assert.equal(step.state.detail, restartedDuringCapture);
	assert.deepEqual(types(step.effects), ['cancel-auto-stop']);

	const whileWriting = run(stopping(), {type: 'server-restarted', at: 9500});
	assert.equal(whileWriting.state.detail, restartedDuringStop);
	// The stop's own answer, arriving later, does not overwrite the cause.
	const late = run(whileWriting.state, {type: 'stop-failed', failure: reset});
	assert.equal(late.state.detail, restartedDuringStop);
});

test('a restart while starting or at rest changes nothing: the start answer decides', () => {
	const starting = run(idle, key('p'), key('y')).state;
	assert.equal(
		reduceProfiler(starting, {type: 'server-restarted', at: 1}).state,
		starting,
	);
	assert.equal(
		reduceProfiler(idle, {type: 'server-restarted', at: 1}).state,
		idle,
	);
});

test('--profile-duration schedules one auto-stop per capture; a stale timer cannot stop a later capture', () => {
	const start = initialProfilerState({baseUrl: base, durationMs: 10_000});
	const first = run(start, key('p'), key('y'), {type: 'start-ok', at: 5000});
	assert.deepEqual(first.effects.at(-1), {
		type: 'schedule-auto-stop',
		ms: 10_000,
		capture: 1,
	});
	const auto = run(first.state, {type: 'deadline', capture: 1, at: 15_000});
	assert.equal(auto.state.phase, 'stopping');
	assert.equal(auto.state.stoppingSince, 15_000);
	assert.deepEqual(types(auto.effects), ['cancel-auto-stop', 'post-stop']);

	const second = run(
		auto.state,
		{type: 'stop-ok', at: 16_000},
		key('p'),
		key('y'),
		{type: 'start-ok', at: 17_000},
	);
	assert.equal(second.state.capture, 2);
	const stale = reduceProfiler(second.state, {
		type: 'deadline',
		capture: 1,
		at: 18_000,
	});
	assert.equal(stale.state, second.state);
	assert.deepEqual(stale.effects, []);

	assert.deepEqual(
		run(initialProfilerState({baseUrl: base}), key('p'), key('y'), {
			type: 'start-ok',
			at: 1,
		}).effects,
		[{type: 'post-start'}],
		'no duration: no timer',
	);
});

test('read-only ignores every key', () => {
	const readOnly = initialProfilerState({baseUrl: base, readOnly: true});
	const step = run(readOnly, key('p'), key('y'), key('p'));
	assert.equal(step.state, readOnly);
	assert.deepEqual(step.effects, []);
});

test('quit at rest or while asking quits at once', () => {
	assert.deepEqual(types(run(idle, {type: 'quit-requested', at: 1}).effects), [
		'allow-quit',
	]);
	const asking = run(idle, key('p'), {type: 'quit-requested', at: 1});
	assert.equal(asking.state.phase, 'idle');
	assert.deepEqual(types(asking.effects), ['allow-quit']);
});

test('quit while running stops the capture first and quits once the trace is written', () => {
	const quit = run(running(60_000), {type: 'quit-requested', at: 9000});
	assert.equal(quit.state.phase, 'stopping');
	assert.equal(quit.state.quitPending, true);
	assert.match(quit.state.detail ?? '', /quitting when the trace is written/);
	assert.deepEqual(types(quit.effects), ['cancel-auto-stop', 'post-stop']);

	const written = run(quit.state, {type: 'stop-ok', at: 10_000});
	assert.equal(written.state.phase, 'done');
	assert.deepEqual(types(written.effects), ['allow-quit']);

	const failed = run(quit.state, {type: 'stop-failed', failure: reset});
	assert.equal(failed.state.phase, 'error');
	assert.deepEqual(types(failed.effects), ['allow-quit']);
});

test('a second quit while the trace is written quits at once; n calls the quit off', () => {
	const quit = run(running(), {type: 'quit-requested', at: 9000}).state;
	assert.deepEqual(
		types(run(quit, {type: 'quit-requested', at: 9100}).effects),
		['allow-quit'],
	);

	const stay = run(quit, key('n'));
	assert.equal(stay.state.quitPending, false);
	assert.equal(stay.state.phase, 'stopping');
	assert.deepEqual(types(stay.effects), ['cancel-quit']);
	// The stop still finishes normally, with no quit.
	assert.deepEqual(run(stay.state, {type: 'stop-ok', at: 1}).effects, []);
});

test('quit during a user-started stop waits for the trace', () => {
	const quit = run(stopping(), {type: 'quit-requested', at: 9500});
	assert.equal(quit.state.quitPending, true);
	assert.deepEqual(quit.effects, []);
	assert.deepEqual(types(run(quit.state, {type: 'stop-ok', at: 1}).effects), [
		'allow-quit',
	]);
});

test('quit while starting: a start that succeeds is stopped at once, a start that fails quits', () => {
	const starting = run(idle, key('p'), key('y'), {
		type: 'quit-requested',
		at: 2000,
	}).state;
	assert.equal(starting.quitPending, true);
	const started = run(starting, {type: 'start-ok', at: 2100});
	assert.equal(started.state.phase, 'stopping');
	assert.deepEqual(types(started.effects), ['post-stop']);
	assert.deepEqual(
		types(run(started.state, {type: 'stop-ok', at: 3000}).effects),
		['allow-quit'],
	);

	const failed = run(starting, {type: 'start-failed', failure: notFound});
	assert.equal(failed.state.phase, 'error');
	assert.deepEqual(types(failed.effects), ['allow-quit']);
});
