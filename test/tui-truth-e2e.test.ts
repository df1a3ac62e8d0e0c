/**
The full-screen view tells the truth at a glance, in a real terminal (tmux): interval changes apply at once, ages
tick between scrapes, a server that stops answering turns STALE, resizes leave nothing behind, and no number on screen
claims more than the data holds.
*/
import assert from 'node:assert/strict';
import {readFileSync, existsSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {fixturePath} from './support/fixture-path.js';
import {startHttpServer, type TestServer} from './support/http-server.js';
import {startTmux, tmuxMissing, type TmuxSession} from './support/tmux.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const skip =
	tmuxMissing() ??
	(existsSync(cli) ? undefined : 'dist/cli.js missing: npm run build first');
const testOptions = {timeout: 90_000, skip};
/** Slow machines take seconds to start node, the simulator and the first scrape. */
const startMs = 25_000;
const live = /^\[(?:OK|WARN|CRIT|RESTARTED)]/;

function lines(screen: string): string[] {
	return screen.split('\n');
}

function scrapedAge(screen: string): number | undefined {
	const match = /scraped (\d+)s ago/.exec(screen);
	return match ? Number(match[1]) : undefined;
}

async function withTmux(
	command: string,
	columns: number,
	rows: number,
	body: (tmux: TmuxSession) => Promise<void>,
): Promise<void> {
	const tmux = startTmux({command, columns, rows, cwd: root});
	try {
		await body(tmux);
	} finally {
		tmux.kill();
	}
}

describe('the screen tells the truth', () => {
	test(
		'a shorter interval applies at once: from every 1m, seven `-` presses scrape within 1.5 s',
		testOptions,
		async () => {
			await withTmux(
				'node dist/cli.js --demo --scenario steady -i 2',
				100,
				30,
				async tmux => {
					await tmux.waitFor(screen => live.test(screen), startMs);
					tmux.sendKeys('+', '+', '+', '+', '+');
					await tmux.waitFor(screen => screen.includes('every 1m'), 5000);
					// The ages tick: wait until the last scrape is seconds old, so a new one is seen as 0s.
					await tmux.waitFor(screen => (scrapedAge(screen) ?? 0) >= 3, 10_000);
					tmux.sendKeys('-', '-', '-', '-', '-', '-', '-');
					await tmux.waitFor(screen => screen.includes('every 500ms'), 3000);
					const screen = await tmux.waitFor(
						current => scrapedAge(current) === 0,
						1500,
					);
					assert.match(screen, /every 500ms/);
				},
			);
		},
	);

	test(
		'the clock ticks: at -i 10 the header changes within 2 s without a scrape',
		testOptions,
		async () => {
			await withTmux(
				'node dist/cli.js --demo --scenario steady -i 10',
				100,
				30,
				async tmux => {
					const first = await tmux.waitFor(
						screen => live.test(screen) && scrapedAge(screen) === 0,
						startMs,
					);
					const later = await tmux.waitFor(
						screen => (scrapedAge(screen) ?? 0) >= 1,
						2000,
					);
					assert.notEqual(lines(later)[1], lines(first)[1]);
					assert.match(later, /every 10s/);
				},
			);
		},
	);
});

describe('a server that stops answering', () => {
	let server: TestServer;
	let answering = true;
	const page = readFileSync(
		fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'),
	);
	before(async () => {
		server = await startHttpServer((request, response) => {
			if (!answering) {
				// Accept the connection and never answer: the scrape hangs until its deadline.
				return;
			}

			if (request.url === '/metrics') {
				response.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
				response.end(page);
				return;
			}

			response.writeHead(404);
			response.end();
		});
	});
	after(async () => server?.close());

	test(
		'turns STALE and its age keeps counting, coloured',
		testOptions,
		async () => {
			await withTmux(
				`node dist/cli.js ${server.url} -i 1 --timeout 4`,
				100,
				30,
				async tmux => {
					await tmux.waitFor(screen => live.test(screen), startMs);
					answering = false;
					const stale = await tmux.waitFor(
						screen => screen.startsWith('[STALE]'),
						15_000,
					);
					const age = scrapedAge(stale) ?? 0;
					await delay(2100);
					const later = tmux.capture();
					assert.match(later, /^\[STALE]/);
					assert.ok(
						(scrapedAge(later) ?? 0) >= age + 1,
						`the age counts on:\n${stale}\n---\n${later}`,
					);
				},
			);
		},
	);
});
