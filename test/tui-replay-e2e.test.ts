/**
A recording replayed in the full-screen view of the built CLI, in a real terminal (tmux): the replay's own status
lines and keys (space pauses and resumes), its position out of its length, its end, and `q` quitting with exit 0.
*/
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {z} from 'zod';
import {startTmux, tmuxMissing} from './support/tmux.js';

/** Recorded ms from the first entry of a recording to its latest. */
function recordingLength(file: string): number {
	const times = readFileSync(file, 'utf8')
		.split('\n')
		.filter(line => line.trim() !== '')
		.map(line => z.object({at: z.number()}).parse(JSON.parse(line)).at);
	return Math.max(...times) - times[0]!;
}

function clock(ms: number): string {
	const seconds = Math.floor(ms / 1000);
	return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

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
			const length = clock(recordingLength(file));
			// Where it stands, out of how long the recording is; the recording sets the pace, no interval.
			const playing = await tmux.waitFor(
				screen =>
					screen.includes(`replay of ${file} at 1x`) &&
					new RegExp(String.raw`replay \d\d:\d\d / ${length}`).test(
						screen.split('\n')[0] ?? '',
					),
				25_000,
			);
			assert.doesNotMatch(playing, /every \d/);
			tmux.sendKeys('Space');
			const paused = await tmux.waitFor(
				screen => screen.includes('replay PAUSED'),
				10_000,
			);
			assert.match(
				paused.split('\n')[0] ?? '',
				new RegExp(String.raw`replay \d\d:\d\d / ${length} PAUSED`),
			);
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
