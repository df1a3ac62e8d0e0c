/**
The GPU display in a real terminal (tmux), with the shipped fake nvidia-smi on PATH: the overview's GPU rows at
100x30, the GPU view behind `v`, and an nvidia-smi that hangs or fails: one notice in the GPU row, and the scrapes
go on meanwhile.
*/
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {startTmux, tmuxMissing} from './support/tmux.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const skip =
	tmuxMissing() ??
	(existsSync(cli) ? undefined : 'dist/cli.js missing: npm run build first');
const fakeTools = path.join(root, 'test', 'support', 'fake-nvidia-smi');
const testOptions = {timeout: 60_000, skip};
const startMs = 25_000;
const demo = 'node dist/cli.js --demo -i 1';

/** Only a hanging tool meets the 1 s deadline; on a busy machine the others may take longer to start. */
function start(extra: Record<string, string> = {}) {
	const timeout = extra['FAKE_NVIDIA_SMI'] === 'hang' ? 1 : 10;
	// PATH in the command itself: the pane's shell may set its own.
	const pathValue = `${fakeTools}${path.delimiter}${process.env['PATH'] ?? ''}`;
	return startTmux({
		command: `env PATH='${pathValue}' ${demo} --timeout ${timeout}; sleep 30`,
		columns: 100,
		rows: 30,
		cwd: root,
		env: extra,
	});
}

function rowsOf(screen: string): string[] {
	return screen.split('\n');
}

/** The seconds in the header's `scraped Ns ago`, or undefined before the first scrape. */
function scrapedAgo(screen: string): number | undefined {
	const match = /scraped (\d+)s ago/.exec(screen);
	return match ? Number(match[1]) : undefined;
}

describe('GPU display in a real terminal', () => {
	test(
		'--demo shows a row per GPU at 100x30, and v reaches the GPU view with every field',
		testOptions,
		async () => {
			const tmux = start();
			try {
				const screen = await tmux.waitFor(
					current => /^GPU1 util .*THERMAL/m.test(current),
					startMs,
				);
				assert.match(
					screen,
					/^GPU0 util\s+[▁▂▃▄▅▆▇█]+.*87\.0%\s+pwr 73%\s+64C\s+70\/80G\s*$/m,
				);
				assert.match(
					screen,
					/^GPU1 util\s+[▁▂▃▄▅▆▇█]+.*pwr 100%\s+86C\s+70\/80G\s+THERMAL/m,
				);
				assert.ok(rowsOf(screen).length <= 30);
				assert.ok(
					rowsOf(screen).every(row => row.length <= 100),
					screen,
				);
				// overview -> latency -> engines -> alerts -> gpus
				for (const view of ['latency', 'engines', 'alerts', 'gpus']) {
					tmux.sendKeys('v');

					await tmux.waitFor(current => current.includes(`v ${view}`), 10_000);
				}

				const view = tmux.capture();
				for (const field of [
					'utilization',
					'SM active',
					'memory',
					'power of limit',
					'temperature',
					'SM clock',
					'throttle',
					'last XID',
					'ECC uncorrected',
					'NVLink total',
				]) {
					assert.match(
						view,
						new RegExp(String.raw`^${field}\s`, 'm'),
						`${field}:\n${view}`,
					);
				}

				assert.match(view, /^throttle\s+none\s+sw_power_cap sw_thermal/m);
				assert.match(view, /^GPU 1 pid 4001\s+69\.6G\s+python3 -m vllm/m);
				tmux.sendKeys('v');
				await tmux.waitFor(current => current.includes('v overview'), 10_000);
			} finally {
				tmux.kill();
			}
		},
	);

	for (const [mode, notice] of [
		['hang', /nvidia-smi did not answer within 1 s/g],
		['fail', /nvidia-smi failed with code 9/g],
	] as const) {
		test(
			`an nvidia-smi that does '${mode}': one notice in the GPU row, and the scrapes keep coming`,
			testOptions,
			async () => {
				const tmux = start({FAKE_NVIDIA_SMI: mode});
				try {
					const screen = await tmux.waitFor(
						current => notice.test(current),
						startMs,
					);
					assert.equal(screen.match(notice)?.length, 1, screen);
					const firstUp = /up (\d+(?:\.\d)?)s/.exec(screen);
					await delay(4000);
					const later = tmux.capture();
					assert.equal(later.match(notice)?.length, 1, later);
					// Scrapes every second throughout: the last one is never older than the hung poll's deadline.
					assert.ok((scrapedAgo(later) ?? 99) <= 1, later);
					assert.notEqual(/up (\d+(?:\.\d)?)s/.exec(later)?.[1], firstUp?.[1]);
					assert.match(later, /^Running\s+[▁▂▃▄▅▆▇█]{4,}/m);
				} finally {
					tmux.kill();
				}
			},
		);
	}
});
