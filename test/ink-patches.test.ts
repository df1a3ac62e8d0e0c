import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import fc from 'fast-check';
import {z} from 'zod';
import {patchedInkFiles, patchInk} from '../source/runtime/ink-patches.js';
import {screenCells} from './support/screen-cells.js';

// ink exports only its entry (build/index.js), whose folder holds the patched modules.
const inkBuild = path.dirname(fileURLToPath(import.meta.resolve('ink')));
const inkPackage = path.dirname(inkBuild);
const root = path.resolve(import.meta.dirname, '..');
/** The patched copy `npm run build` makes, which the built view imports. */
const vendored = path.join(root, 'dist', 'vendor', 'ink', 'build');
const built = {
	skip: existsSync(path.join(vendored, 'index.js'))
		? undefined
		: 'dist/vendor/ink missing: npm run build first',
};

test('the pinned ink has every text the patches rewrite', () => {
	assert.equal(patchedInkFiles.length, 6);
	for (const file of patchedInkFiles) {
		const url = `file://${path.join(inkPackage, file)}`;
		const source = readFileSync(path.join(inkPackage, file), 'utf8');
		const patched = patchInk(url, source, () => 'file:///module.js');
		assert.notEqual(
			patched,
			source,
			`${file} was not rewritten: ink's source changed`,
		);
	}
});

test(
	'patched sanitizeAnsi returns what the published one does, on colour codes, cursor codes, OSC and C1 characters',
	built,
	async () => {
		type Sanitize = (text: string) => string;
		/* eslint-disable @typescript-eslint/no-unsafe-type-assertion -- ink's build has no types for its inner modules */
		const published = (
			(await import(path.join(inkBuild, 'sanitize-ansi.js'))) as {
				default: Sanitize;
			}
		).default;
		const patched = (
			(await import(path.join(vendored, 'sanitize-ansi.js'))) as {
				default: Sanitize;
			}
		).default;
		/* eslint-enable @typescript-eslint/no-unsafe-type-assertion */
		const examples = [
			'plain',
			'\u001B[31mred\u001B[39m \u001B[1;38;2;1;2;3mbold\u001B[22m',
			'\u001B[mreset',
			'up\u001B[2Aclear\u001B[2J',
			'\u001B[?25lhidden',
			'link \u001B]8;;https://x\u0007x\u001B]8;;\u0007',
			'c1 \u009B31m csi',
			'c1 \u0085 next line',
			'lone \u001B',
			'\u001B[31',
		];
		for (const text of examples) {
			assert.equal(patched(text), published(text), JSON.stringify(text));
		}

		// Strings built from the pieces escape codes are made of, so odd mixes and cut-off sequences come up.
		const piece = fc.constantFrom(
			'\u001B',
			'[',
			']',
			'm',
			'A',
			';',
			':',
			'?',
			'3',
			'8',
			'x',
			' ',
			'\u0007',
			'\u009B',
			'\u0090',
			'\u00A0',
			'█',
			'\u001B[31m',
			'\u001B[0m',
		);
		fc.assert(
			fc.property(fc.array(piece, {maxLength: 24}), pieces => {
				const text = pieces.join('');
				assert.equal(patched(text), published(text), JSON.stringify(text));
			}),
			{numRuns: 3000},
		);
	},
);

test('other modules load unchanged', () => {
	const source = 'const cache = new Map(); cache.set(text, dimensions);';
	assert.equal(
		patchInk(
			'file:///x/node_modules/other/build/measure-text.js',
			source,
			() => 'file:///module.js',
		),
		source,
	);
});

test('a file that matches only some of its rewrites loads unchanged, never half patched', () => {
	const url = `file://${path.join(inkBuild, 'output.js')}`;
	const source = readFileSync(url.replace('file://', ''), 'utf8').replace(
		'caches = new OutputCaches();',
		'caches = new OtherCaches();',
	);
	assert.equal(
		patchInk(url, source, () => 'file:///module.js'),
		source,
	);
});

test(
	'the built view imports the patched copy of ink, never ink itself',
	built,
	() => {
		const imports = /\bfrom\s*'([^']*ink[^']*)'/gv;
		const seen = new Set<string>();
		for (const file of readdirSync(path.join(root, 'dist', 'source'), {
			recursive: true,
			encoding: 'utf8',
		})) {
			if (file.endsWith('.js')) {
				const source = readFileSync(
					path.join(root, 'dist', 'source', file),
					'utf8',
				);
				for (const match of source.matchAll(imports)) {
					seen.add(match[1]!);
				}
			}
		}

		assert.ok(!seen.has('ink'), [...seen].join(', '));
		assert.ok(
			[...seen].some(specifier =>
				specifier.endsWith('vendor/ink/build/index.js'),
			),
			[...seen].join(', '),
		);
		for (const file of patchedInkFiles) {
			assert.notEqual(
				readFileSync(path.join(vendored, '..', file), 'utf8'),
				readFileSync(path.join(inkPackage, file), 'utf8'),
				`${file} patched`,
			);
		}
	},
);

test(
	'patched ink measures, wraps and draws any number of distinct lines in bounded memory',
	built,
	() => {
		// A fresh process measures 40,000 distinct lines through the patched copy's own modules.
		const script = `
		const base = ${JSON.stringify(`file://${vendored}/`)};
		const {default: measureText} = await import(base + 'measure-text.js');
		const {default: wrapText} = await import(base + 'wrap-text.js');
		const {default: Output} = await import(base + 'output.js');
		const line = i => 'vllm-top line ' + i + ' '.repeat(200);
		const styled = i => '\u001B[1mKV\u001B[22m ' + i + ' '.repeat(90);
		const draw = i => {
			measureText(line(i)); wrapText(line(i), 80, 'truncate');
			const output = new Output({width: 100, height: 1});
			output.write(0, 0, styled(i), {transformers: []});
			output.get();
		};
		for (let i = 0; i < 2000; i++) draw(i);
		globalThis.gc(); const before = process.memoryUsage().heapUsed;
		for (let i = 2000; i < 40000; i++) draw(i);
		globalThis.gc(); const after = process.memoryUsage().heapUsed;
		console.log(JSON.stringify({growth: after - before}));
	`;
		const result = spawnSync(
			process.execPath,
			['--expose-gc', '--input-type=module', '-e', script],
			{
				cwd: root,
				encoding: 'utf8',
				timeout: 60_000,
			},
		);
		assert.equal(result.status, 0, result.stderr);
		const {growth} = z
			.object({growth: z.number()})
			.parse(JSON.parse(result.stdout.trim().split('\n').at(-1)!));
		// Unbounded, 38,000 distinct lines in ink's caches keep well over 10 MB alive.
		assert.ok(
			growth < 6 * 1024 * 1024,
			`heap grew ${(growth / 1024 / 1024).toFixed(1)} MB`,
		);
	},
);

/**
Runs `script` (an ES module, cwd the project root, colours on) with `ink` bound to published ink or the patched copy,
and `views` to the views built against it; the script's last line of output is JSON.
*/
function runChild(script: string, patched: boolean): unknown {
	const prelude = patched
		? "const ink = await import('./dist/vendor/ink/build/index.js'); const views = {...await import('./dist/source/ui/dashboard.js'), ...await import('./dist/source/ui/fleet-view.js')};"
		: "const ink = await import('ink'); const views = {...await import('./source/ui/dashboard.tsx'), ...await import('./source/ui/fleet-view.tsx')};";
	const result = spawnSync(
		process.execPath,
		['--import', 'tsx', '--input-type=module', '-e', prelude + script],
		{
			cwd: root,
			encoding: 'utf8',
			env: {...process.env, FORCE_COLOR: '1'},
			timeout: 60_000,
		},
	);
	assert.equal(result.status, 0, result.stderr);
	return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

test(
	'patched ink shows every dashboard frame cell for cell as published ink does',
	built,
	() => {
		const script = `
		const {dashboardFrames} = await import('./test/support/dashboard-frames.tsx');
		console.log(JSON.stringify(dashboardFrames(ink.renderToString, views)));
	`;
		const frames = z.array(z.string());
		const published = frames.parse(runChild(script, false));
		const patched = frames.parse(runChild(script, true));
		assert.equal(published.length, 62);
		assert.ok(
			published.some(frame => frame.includes('\u001B[')),
			'colour on',
		);
		// The fast path was taken: ink's grid re-encodes colour codes, so its bytes differ from the writes kept as written.
		assert.notDeepEqual(patched, published);
		for (const [index, frame] of published.entries()) {
			assert.deepEqual(
				screenCells(patched[index]!),
				screenCells(frame),
				`frame ${index}:\n${patched[index]}\n---\n${frame}`,
			);
		}
	},
);

test(
	'incremental rendering moves up over the whole previous frame, so the next one starts on the same row',
	built,
	() => {
		// Three lines and the newline ink ends a frame with when it is shorter than the terminal: the cursor sits on the
		// fourth row, and the next frame must move up three rows, not two.
		const script = String.raw`
		import {Writable} from 'node:stream';
		const {createElement} = await import('react');
		const {render, Text} = ink;
		const writes = [];
		const stdout = Object.assign(new Writable({write(chunk, _encoding, done) { writes.push(String(chunk)); done(); }}), {isTTY: true, columns: 40, rows: 10});
		const frame = word => createElement(Text, null, ['a ' + word, 'b ' + word, 'c'].join('\n'));
		const instance = render(frame('one'), {stdout, incrementalRendering: true, patchConsole: false, maxFps: 1000});
		await new Promise(resolve => setTimeout(resolve, 50));
		const before = writes.length;
		instance.rerender(frame('two'));
		await new Promise(resolve => setTimeout(resolve, 50));
		instance.unmount();
		console.log(JSON.stringify(writes.slice(before).join('')));
	`;
		const published = z.string().parse(runChild(script, false));
		const patched = z.string().parse(runChild(script, true));
		assert.ok(published.includes('\u001B[2A'), JSON.stringify(published));
		assert.ok(patched.includes('\u001B[3A'), JSON.stringify(patched));
		assert.ok(!patched.includes('\u001B[2A'), JSON.stringify(patched));
		assert.ok(patched.includes('a two') && patched.includes('b two'));
	},
);
