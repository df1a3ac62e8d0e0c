/**
Names and label values cut from a page must not keep the page alive: derive keeps a model name or a label set across
scrapes (the series catalog, the snapshot), and V8 makes a long slice a view into the whole page text. Without the
copy each target held one or two whole pages, about 40 KB each, for as long as it ran.
*/
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {test} from 'node:test';
import {pathToFileURL} from 'node:url';
import {z} from 'zod';

const parser = pathToFileURL(
	path.resolve(
		import.meta.dirname,
		'..',
		'source',
		'parse',
		'parse-exposition.ts',
	),
).href;

test('label values, label names and metric names kept from a page do not keep the page alive', () => {
	const script = String.raw`
		const {parseExposition} = await import(${JSON.stringify(parser)});
		// About 400 KB of page per round, with long names and values that stay.
		const page = round => {
			const lines = ['# HELP vllm:some_long_gauge_name_' + round + ' round ' + round, '# TYPE vllm:some_long_gauge_name_' + round + ' gauge'];
			for (let i = 0; i < 4000; i++) lines.push('vllm:some_long_gauge_name_' + round + '{model_name="org/Model-' + round + '-8B-Instruct",engine="' + i + '",a_long_label_name_' + round + '="v"} ' + i);
			return lines.join('\n') + '\n';
		};
		const kept = [];
		const keep = round => {
			const result = parseExposition(page(round), 'text');
			const sample = result.page.samples[0];
			kept.push(sample.name, sample.labels);
		};
		for (let round = 0; round < 5; round++) keep(round);
		globalThis.gc(); const before = process.memoryUsage().heapUsed;
		for (let round = 5; round < 65; round++) keep(round);
		globalThis.gc(); const after = process.memoryUsage().heapUsed;
		console.log(JSON.stringify({growth: after - before, kept: kept.length}));
	`;
	const result = spawnSync(
		process.execPath,
		['--import', 'tsx', '--expose-gc', '--input-type=module', '-e', script],
		{encoding: 'utf8', timeout: 60_000},
	);
	assert.equal(result.status, 0, result.stderr);
	const {growth, kept} = z
		.object({growth: z.number(), kept: z.number()})
		.parse(JSON.parse(result.stdout.trim().split('\n').at(-1)!));
	assert.equal(kept, 130);
	// Each of the 60 pages is about 400 KB: keeping them would be over 20 MB.
	assert.ok(
		growth < 4 * 1024 * 1024,
		`heap grew ${(growth / 1024 / 1024).toFixed(1)} MB`,
	);
});
