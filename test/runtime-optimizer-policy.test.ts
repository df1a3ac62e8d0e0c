import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import {test} from 'node:test';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {buildTargets} from '../source/modes/build-targets.js';
import {createMonitorSession} from '../source/session/scrape-session.js';
import {
	createOptimizerPolicy,
	isLightLoad,
	lightLoadBytesPerSecond,
	scaledLoad,
} from '../source/runtime/optimizer-policy.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import {startSimulator} from '../source/simulator/simulator-server.js';

const root = path.resolve(import.meta.dirname, '..');

test('one vLLM page every 5 s is a light load; one a second, a big page or a fleet is not', () => {
	const page = 70 * 1024;
	assert.ok(isLightLoad(page / 5));
	assert.ok(isLightLoad((2 * page) / 5));
	assert.ok(!isLightLoad(page / 1));
	assert.ok(!isLightLoad((1.5 * 1024 * 1024) / 5));
	assert.ok(!isLightLoad((100 * page) / 5));
	assert.ok(isLightLoad(lightLoadBytesPerSecond));
	assert.ok(!isLightLoad(lightLoadBytesPerSecond + 1));
});

test('the policy switches V8 only when the load crosses the line', () => {
	const calls: string[] = [];
	const policy = createOptimizerPolicy(flags => {
		calls.push(flags);
	});
	assert.equal(policy.isOptimizing(), true);
	policy.observe(1000);
	policy.observe(2000);
	assert.deepEqual(calls, ['--no-turbofan']);
	assert.equal(policy.isOptimizing(), false);
	policy.observe(10 * lightLoadBytesPerSecond);
	policy.observe(20 * lightLoadBytesPerSecond);
	assert.deepEqual(calls, ['--no-turbofan', '--turbofan']);
	assert.equal(policy.isOptimizing(), true);
});

test('a demo at --time-scale 10 counts ten times its pages, so its in-process simulator keeps the compiler', () => {
	const calls: string[] = [];
	const policy = createOptimizerPolicy(flags => {
		calls.push(flags);
	});
	const onePage = (70 * 1024) / 5;
	scaledLoad(policy, 1).observe(onePage);
	assert.deepEqual(calls, ['--no-turbofan']);
	scaledLoad(policy, 10).observe(onePage);
	assert.deepEqual(calls, ['--no-turbofan', '--turbofan']);
});

test('V8 follows the switch: a hot function is not optimized under a light load, and is again under a heavy one', () => {
	// Two identical hot functions, one run after each switch; --trace-opt says which ones V8 optimized.
	const script = `
		import {createOptimizerPolicy} from './source/runtime/optimizer-policy.ts';
		const policy = createOptimizerPolicy();
		const hot = () => { let s = 0; for (let i = 0; i < 1000; i++) s += Math.sqrt(i); return s; };
		const lightHot = (n) => { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); return s; };
		const heavyHot = (n) => { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); return s; };
		let total = hot();
		policy.observe(1024);
		for (let k = 0; k < 3000; k++) total += lightHot(1000);
		policy.observe(1024 * 1024);
		for (let k = 0; k < 3000; k++) total += heavyHot(1000);
		console.log(total > 0 ? 'ran' : 'no');
	`;
	const child = spawnSync(
		process.execPath,
		['--trace-opt', '--import', 'tsx', '--input-type=module', '-e', script],
		{cwd: root, encoding: 'utf8', timeout: 60_000},
	);
	assert.equal(child.status, 0, child.stderr);
	assert.match(child.stdout, /^ran$/mv);
	assert.match(child.stdout, /completed optimizing[^\n]*heavyHot/v);
	assert.doesNotMatch(child.stdout, /completed optimizing[^\n]*lightHot/v);
});

test('the live session tells the policy the bytes it scrapes per second', async () => {
	const simulator = await startSimulator({seed: 3});
	const client = createScrapeClient();
	try {
		const built = buildTargets([simulator.url, simulator.url]);
		assert.ok(built.ok);
		const seen: number[] = [];
		const pages: number[] = [];
		const session = createMonitorSession({
			targets: built.targets,
			clientFor: () => client,
			intervalMs: 4000,
			windowSeconds: 60,
			alertConfig: defaultAlertConfig,
			onResult(_target, result) {
				assert.ok(result.ok);
				pages.push(result.body.length);
			},
			optimizer: {
				observe(bytesPerSecond) {
					seen.push(bytesPerSecond);
				},
			},
		});
		await session.scrapeAllOnce();
		// After each answer, the pages seen so far per 4 s: first one page, then both.
		assert.equal(pages.length, 2);
		assert.ok(pages[0]! > 1000);
		assert.deepEqual(seen, [pages[0]! / 4, (pages[0]! + pages[1]!) / 4]);
	} finally {
		await client.close();
		await simulator.stop();
	}
});
