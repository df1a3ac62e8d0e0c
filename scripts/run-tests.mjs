#!/usr/bin/env node
// Runs every test file under test/ with node's own runner. Node 20's `--test` takes no globs, so the list is built here.
import {spawnSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', 'test');
const files = readdirSync(root, {recursive: true, encoding: 'utf8'})
	.filter(file => /\.test\.tsx?$/.test(file))
	.map(file => path.join('test', file))
	.toSorted();
const only = process.argv.slice(2);
const selected =
	only.length > 0
		? files.filter(file => only.some(part => file.includes(part)))
		: files;
if (selected.length === 0) {
	console.error('no test files matched');
	process.exit(1);
}

// ink draws only a final frame when CI is set; the view's tests check the live frames a terminal shows.
const env = {...process.env};
delete env.CI;
delete env.CONTINUOUS_INTEGRATION;
// Many files mostly wait (on a tmux pane, Prometheus' rule evaluation, a simulated clock): three at a time keeps two
// cores busy without starving the timing-sensitive ones, where node's default on two cores runs one file at a time.
const result = spawnSync(
	process.execPath,
	[
		'--import',
		'tsx',
		'--test',
		'--test-concurrency=3',
		// Also the limit of a whole file: single-executable fetches two Node.js builds from the registry and bundles,
		// which took over 120 s on a busy machine with a slow download. A hang still ends here.
		'--test-timeout=300000',
		...selected,
	],
	{stdio: 'inherit', env},
);
process.exit(result.status ?? 1);
