/**
The built CLI in a real terminal (tmux): what a person sees, what keys do, and that the terminal is given back
as it was on every way out.
*/
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {startTmux, tmuxMissing, type TmuxSession} from './support/tmux.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const skip =
	tmuxMissing() ??
	(existsSync(cli) ? undefined : 'dist/cli.js missing: npm run build first');

const demo =
	'node dist/cli.js --demo --scenario kv-pressure --time-scale 20 -i 1';
/** The CLI, then what it left behind: its exit code and the tty's line mode, read in the same pane. */
const wrapped = String.raw`${demo}; echo EXITED:$?; stty -a | grep -o -- '-icanon\|icanon' | sed 's/^/TTY:/'; sleep 30`;

const badge = /^\[(?:OK|WARN|CRIT|DOWN|STALE|RESTARTED|STARTING)]/;
const live = /^\[(?:OK|WARN|CRIT)]/;
const statusHints = 'q quit';
/** Slow machines take seconds to start node, the simulator and the first scrape. */
const startMs = 25_000;
const testOptions = {timeout: 60_000, skip};

function lines(screen: string): string[] {
	return screen.split('\n');
}

/** Rows up to the last one with something on it. */
function contentRows(screen: string): number {
	const all = lines(screen);
	let last = all.length;
	while (last > 0 && all[last - 1]!.trim() === '') {
		last--;
	}

	return last;
}

function isLiveFrame(screen: string): boolean {
	const all = lines(screen);
	return (
		live.test(all[0] ?? '') &&
		/Tokens\/s\s+(?:prompt|prefill)\s+[\d.]+k?\s+gen\s+[\d.]+k?/.test(screen) &&
		/KV cache\s+[\d.]+%/.test(screen)
	);
}

/** One frame on screen: one header at the top, one status line, nothing drawn twice or below the frame. */
function assertOneFrame(screen: string, rows: number): void {
	const all = lines(screen);
	assert.match(all[0] ?? '', badge, `header on the first row:\n${screen}`);
	assert.equal(
		all.filter(line => badge.test(line)).length,
		1,
		`one header line:\n${screen}`,
	);
	assert.equal(
		all.filter(line => line.startsWith(statusHints)).length,
		1,
		`one status line:\n${screen}`,
	);
	assert.ok(
		contentRows(screen) <= rows - 1,
		`at most ${rows - 1} rows of content, got ${contentRows(screen)}:\n${screen}`,
	);
}

/** After the CLI ended: normal screen, cursor shown, cooked tty, nothing of the dashboard left. */
async function assertRestored(tmux: TmuxSession): Promise<string> {
	const screen = await tmux.waitFor(
		current => /TTY:-?icanon/.test(current),
		15_000,
	);
	assert.equal(tmux.display('#{alternate_on}'), '0', 'alternate screen left');
	assert.equal(tmux.display('#{cursor_flag}'), '1', 'cursor visible');
	assert.match(screen, /^TTY:icanon$/m, `tty back in cooked mode:\n${screen}`);
	for (const leftover of ['Tokens/s', 'KV cache', statusHints, 'vLLM']) {
		assert.ok(
			!screen.includes(leftover),
			`no dashboard left on the normal screen (${leftover}):\n${screen}`,
		);
	}

	return screen;
}

function childPid(parent: string): number {
	const output = execFileSync('pgrep', ['-P', parent], {encoding: 'utf8'});
	const pid = Number.parseInt(output.trim().split('\n')[0] ?? '', 10);
	assert.ok(pid > 0, `a child of ${parent}: ${output}`);
	return pid;
}

describe('full-screen view in a real terminal', () => {
	test(
		'header, panels and values fit 100x30; the compact layout fits 60x16 after a resize',
		testOptions,
		async () => {
			const tmux = startTmux({
				command: wrapped,
				columns: 100,
				rows: 30,
				cwd: root,
			});
			try {
				const first = await tmux.waitFor(isLiveFrame, startMs);
				assert.match(first, /vLLM \d+\.\d+/);
				assert.match(first, /meta-llama\/Llama-3\.1-8B-Instruct/);
				for (const label of [
					'Tokens/s',
					'KV cache',
					'Running',
					'Waiting',
					'TTFT',
					'ITL',
					'Latency',
					'p95',
				]) {
					assert.ok(first.includes(label), `${label} shown:\n${first}`);
				}

				// A few more scrapes, each a redraw: the frame must still be one frame.
				await delay(3000);
				const later = tmux.capture();
				assertOneFrame(later, 30);
				assert.match(later, /^TTFT\s+\d[\d.]*m?s\s+\d/m, 'latency values');
				assert.match(later, /┼|┤/, 'the full layout draws charts');

				tmux.resize(60, 16);
				const compact = await tmux.waitFor(
					screen =>
						live.test(lines(screen)[0] ?? '') &&
						!/┼|┤/.test(screen) &&
						screen.includes(statusHints),
					10_000,
				);
				assertOneFrame(compact, 16);
				assert.ok(
					lines(compact).every(line => line.length <= 60),
					`rows within 60 columns:\n${compact}`,
				);
				// A wrapped row is joined back by -J: the same screen both ways means nothing wrapped. -J also keeps
				// trailing blanks that the plain capture drops, so those are trimmed on both sides. The clock redraws
				// every second, so the two are compared from one moment: a plain capture unchanged across the joined one.
				const trimmed = (screen: string) => screen.replaceAll(/ +$/gmu, '');
				let joined = '';
				let plain = '';
				for (let attempt = 0; attempt < 5; attempt++) {
					const before = tmux.capture();
					joined = tmux.capture({joinWrapped: true});
					plain = tmux.capture();
					if (before === plain) {
						break;
					}
				}

				assert.equal(trimmed(joined), trimmed(plain), 'no wrapped rows');
				assert.match(compact, /Running\s+[▁▂▃▄▅▆▇█]/, 'block sparklines');
			} finally {
				tmux.kill();
			}
		},
	);

	test(
		'help, views, pause, and q exits 0 with the terminal restored',
		testOptions,
		async () => {
			const tmux = startTmux({
				command: wrapped,
				columns: 100,
				rows: 30,
				cwd: root,
			});
			try {
				await tmux.waitFor(isLiveFrame, startMs);
				const helpShown = (screen: string) =>
					/^Keys\s+\(\? or Esc to close\)/m.test(screen);

				tmux.sendKeys('?');
				const help = await tmux.waitFor(helpShown, 5000);
				assert.match(help, /next view: overview, latency, engines, alerts/);
				assert.ok(!help.includes('Tokens/s'), 'help replaces the body');
				tmux.sendKeys('?');
				await tmux.waitFor(
					screen => !helpShown(screen) && screen.includes('Tokens/s'),
					5000,
				);
				tmux.sendKeys('?');
				await tmux.waitFor(helpShown, 5000);
				tmux.sendKeys('Escape');
				await tmux.waitFor(
					screen => !helpShown(screen) && screen.includes('Tokens/s'),
					5000,
				);

				assert.match(tmux.capture(), /v overview/);
				tmux.sendKeys('v');
				const latencyView = await tmux.waitFor(
					screen => screen.includes('v latency'),
					5000,
				);
				assert.ok(
					!latencyView.includes('Tokens/s'),
					`the overview body is gone:\n${latencyView}`,
				);
				assertOneFrame(latencyView, 30);

				tmux.sendKeys('Space');
				const paused = await tmux.waitFor(
					screen => /^\[\w+].*PAUSED/.test(screen),
					5000,
				);
				assert.match(paused, /space resume/);

				tmux.sendKeys('q');
				const after = await assertRestored(tmux);
				assert.match(after, /^EXITED:0$/m);
			} finally {
				tmux.kill();
			}
		},
	);

	test(
		'SIGTERM ends the view and restores the terminal',
		testOptions,
		async () => {
			const tmux = startTmux({
				command: wrapped,
				columns: 100,
				rows: 30,
				cwd: root,
			});
			try {
				await tmux.waitFor(isLiveFrame, startMs);
				const node = childPid(tmux.display('#{pane_pid}'));
				process.kill(node, 'SIGTERM');
				const after = await assertRestored(tmux);
				assert.match(after, /^EXITED:0$/m);
			} finally {
				tmux.kill();
			}
		},
	);

	test('NO_COLOR=1 draws no colour', testOptions, async () => {
		const tmux = startTmux({
			command: wrapped,
			columns: 100,
			rows: 30,
			cwd: root,
			env: {NO_COLOR: '1'},
		});
		try {
			await tmux.waitFor(isLiveFrame, startMs);
			await delay(1500);
			const screen = tmux.capture({escapes: true});
			const colours = colourCodes(screen);
			assert.deepEqual(colours, [], `no colour codes in:\n${screen}`);

			// The same check sees colour when there is some, so it is not vacuous.
			const coloured = startTmux({
				command: demo,
				columns: 100,
				rows: 30,
				cwd: root,
			});
			try {
				await coloured.waitFor(isLiveFrame, startMs);
				assert.notDeepEqual(colourCodes(coloured.capture({escapes: true})), []);
			} finally {
				coloured.kill();
			}
		} finally {
			tmux.kill();
		}
	});
});

const escape = String.fromCodePoint(0x1b);
const sgr = new RegExp(String.raw`${escape}\[([\d;:]*)m`, 'g');

/** Foreground or background colour parameters of every SGR sequence (30-38, 40-48, 90-97, 100-107); 39/49 are resets. */
function colourCodes(screen: string): string[] {
	const found: string[] = [];
	for (const match of screen.matchAll(sgr)) {
		const parameters = (match[1] ?? '').split(/[;:]/).map(Number);
		for (let index = 0; index < parameters.length; index++) {
			const code = parameters[index]!;
			if (code === 38 || code === 48) {
				found.push(match[0]);
				// 38;5;n and 38;2;r;g;b carry their colour in the next parameters.
				index += parameters[index + 1] === 5 ? 2 : 4;
				continue;
			}

			if (
				(code >= 30 && code <= 37) ||
				(code >= 40 && code <= 47) ||
				(code >= 90 && code <= 97) ||
				(code >= 100 && code <= 107)
			) {
				found.push(match[0]);
			}
		}
	}

	return found;
}
