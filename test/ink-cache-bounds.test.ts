import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import {z} from 'zod';
import {
	boundInkCaches,
	inkCacheLimit,
} from '../source/runtime/ink-cache-bounds.js';

// ink exports only its entry (build/index.js), whose folder holds the two cached modules.
const inkBuild = path.dirname(fileURLToPath(import.meta.resolve('ink')));

test('the pinned ink has both caches where the rewrite expects them', () => {
	for (const file of ['measure-text.js', 'wrap-text.js']) {
		const url = `file://${path.join(inkBuild, file)}`;
		const source = readFileSync(path.join(inkBuild, file), 'utf8');
		const bounded = boundInkCaches(url, source);
		assert.notEqual(
			bounded,
			source,
			`${file} was not rewritten: ink's source changed`,
		);
		assert.ok(bounded.includes(String(inkCacheLimit)));
	}
});

test('other modules load unchanged', () => {
	const source = 'const cache = new Map(); cache.set(text, dimensions);';
	assert.equal(
		boundInkCaches(
			'file:///x/node_modules/other/build/measure-text.js',
			source,
		),
		source,
	);
});

test('with the hook, ink measures and wraps any number of distinct lines in bounded memory', () => {
	// A fresh process: register the hook, then measure 40,000 distinct lines through ink's own modules.
	const script = `
		import {registerInkCacheBounds} from './source/runtime/ink-cache-bounds.ts';
		registerInkCacheBounds();
		const base = ${JSON.stringify(`file://${inkBuild}/`)};
		const {default: measureText} = await import(base + 'measure-text.js');
		const {default: wrapText} = await import(base + 'wrap-text.js');
		const line = i => 'vllm-top line ' + i + ' '.repeat(200);
		for (let i = 0; i < 2000; i++) { measureText(line(i)); wrapText(line(i), 80, 'truncate'); }
		globalThis.gc(); const before = process.memoryUsage().heapUsed;
		for (let i = 2000; i < 40000; i++) { measureText(line(i)); wrapText(line(i), 80, 'truncate'); }
		globalThis.gc(); const after = process.memoryUsage().heapUsed;
		console.log(JSON.stringify({growth: after - before}));
	`;
	const result = spawnSync(
		process.execPath,
		['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script],
		{
			cwd: path.resolve(import.meta.dirname, '..'),
			encoding: 'utf8',
			timeout: 60_000,
		},
	);
	assert.equal(result.status, 0, result.stderr);
	const {growth} = z
		.object({growth: z.number()})
		.parse(JSON.parse(result.stdout.trim().split('\n').at(-1)!));
	// Unbounded, 38,000 lines of ~215 characters in two caches keep well over 10 MB alive.
	assert.ok(
		growth < 6 * 1024 * 1024,
		`heap grew ${(growth / 1024 / 1024).toFixed(1)} MB`,
	);
});
