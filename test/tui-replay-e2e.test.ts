/**
A recording replayed in the full-screen view of the built CLI, in a real terminal (tmux): the replay's own status
lines and keys (space pauses and resumes), its end, and `q` quitting with exit 0.
*/
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {startTmux, tmuxMissing} from './support/tmux.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const skip =
	tmuxMissing() ??
	(existsSync(cli) ? undefined : 'dist/cli.js missing: npm run build first');

test(
	'a replay in the full-screen view pauses, resumes, ends and quits',
	{timeout: 90_000, skip},
	async () => {
		const directory = await mkdtemp(path.join(tmpdir(), 'vllm-top-replay-'));
		const file = path.join(directory, 'run.ndjson');
		// A few seconds of the demo, stopped by SIGTERM as a person's Ctrl-C would.
		spawnSync(
			process.execPath,
			[cli, '--demo', '--json', '-i', '0.5', '--record', file],
			{timeout: 6000, killSignal: 'SIGTERM', stdio: 'ignore'},
		);
		const tmux = startTmux({
			command: `node dist/cli.js --replay ${file}; echo EXITED:$?; sleep 30`,
			columns: 100,
			rows: 30,
			cwd: root,
		});
		try {
			await tmux.waitFor(
				screen => screen.includes(`replay of ${file} at 1x`),
				25_000,
			);
			tmux.sendKeys('Space');
			await tmux.waitFor(screen => screen.includes('replay PAUSED'), 10_000);
			tmux.sendKeys('Space');
			await tmux.waitFor(
				screen => screen.includes(`replay of ${file} at 1x`),
				10_000,
			);
			const ended = await tmux.waitFor(
				screen => screen.includes(`replay of ${file} ended: q quits`),
				30_000,
			);
			assert.match(ended, /^\[(?:OK|WARN|CRIT)]/);
			tmux.sendKeys('q');
			await tmux.waitFor(screen => screen.includes('EXITED:0'), 10_000);
		} finally {
			tmux.kill();
			await rm(directory, {recursive: true, force: true});
		}
	},
);
