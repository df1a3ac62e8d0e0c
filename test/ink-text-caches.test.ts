/**
ink 6.8 as installed (with patches/ink+6.8.0.patch applied by `npm install`) keeps its text caches bounded. Published,
`measureText` and `wrapText` keep every distinct text for the life of the process
(https://github.com/vadimdemedes/ink/issues/986), and the monitor draws new numbers on every frame.
*/
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {z} from 'zod';

// ink exports only its entry; the cached helpers are modules beside it.
const inkBuild = path.dirname(fileURLToPath(import.meta.resolve('ink')));

function runChild(script: string): unknown {
	const result = spawnSync(
		process.execPath,
		['--expose-gc', '--input-type=module', '-e', script],
		{encoding: 'utf8', timeout: 60_000},
	);
	assert.equal(result.status, 0, result.stderr);
	return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

const imports = `
	const base = ${JSON.stringify(pathToFileURL(inkBuild).href)} + '/';
	const {default: measureText} = await import(base + 'measure-text.js');
	const {default: wrapText} = await import(base + 'wrap-text.js');
`;

test('ink measures and wraps any number of distinct lines in bounded memory', () => {
	const script = `${imports}
		const line = i => 'vllm-top line ' + i + ' '.repeat(200);
		const draw = i => {
			measureText(line(i));
			wrapText(line(i), 80, 'truncate');
		};
		for (let i = 0; i < 5000; i++) draw(i);
		globalThis.gc(); const before = process.memoryUsage().heapUsed;
		for (let i = 5000; i < 45000; i++) draw(i);
		globalThis.gc(); const after = process.memoryUsage().heapUsed;
		console.log(JSON.stringify({growth: after - before}));
	`;
	const {growth} = z.object({growth: z.number()}).parse(runChild(script));
	// Unbounded, 40,000 more distinct lines keep over 30 MB alive in the two caches.
	assert.ok(
		growth < 6 * 1024 * 1024,
		`heap grew ${(growth / 1024 / 1024).toFixed(1)} MB`,
	);
});

test('ink still caches a measured line between frames', () => {
	const script = `${imports}
		const first = measureText('KV 42 %');
		const again = measureText('KV 42 %');
		for (let i = 0; i < 10000; i++) measureText('other ' + i);
		console.log(JSON.stringify({cached: first === again, evicted: measureText('KV 42 %') !== first}));
	`;
	const answer = z
		.object({cached: z.boolean(), evicted: z.boolean()})
		.parse(runChild(script));
	assert.deepEqual(answer, {cached: true, evicted: true});
});
