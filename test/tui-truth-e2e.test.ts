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

describe('numbers claim no more than the data holds', () => {
	test(
		'a series of zeros draws on the baseline, and the range reads as a range',
		testOptions,
		async () => {
			await withTmux(
				'node dist/cli.js --demo --scenario steady -i 1',
				100,
				30,
				async tmux => {
					const screen = await tmux.waitFor(
						current => /^Preempt\/s\s+[▁▂▃▄▅▆▇█]{3}/m.test(current),
						startMs,
					);
					const row = lines(screen).find(line => line.startsWith('Preempt/s'))!;
					assert.match(row, /^Preempt\/s\s+▁+\s+now\s+0 · 0–0/, screen);
				},
			);
		},
	);
});

test(
	'an idle queue reads below the first bucket, not a made-up 150ms',
	testOptions,
	async () => {
		await withTmux(
			'node dist/cli.js --demo --scenario steady -i 1',
			100,
			30,
			async tmux => {
				const screen = await tmux.waitFor(
					current =>
						/^Q(?:ue){2}(?:\s+\S+){3}/m.test(current) &&
						!/^Queue\s+--/m.test(current),
					startMs,
				);
				assert.match(screen, /^Queue\s+<300ms\s/m, screen);
			},
		);
	},
);

test(
	'Enter shows every alert with its full hint, wrapped, at 80 columns',
	testOptions,
	async () => {
		await withTmux(
			// The first seconds of the demo look up fewer prompt tokens than the alert's minimum volume.
			'node dist/cli.js --demo --scenario steady -i 1 --threshold prefix_cache_low.min_queried_tokens=0',
			80,
			24,
			async tmux => {
				await tmux.waitFor(
					screen => screen.includes('prefix cache hit rate'),
					startMs,
				);
				assert.match(tmux.capture(), /⏎ details/, 'the footer names the key');
				tmux.sendKeys('Enter');
				const details = await tmux.waitFor(
					screen => /^Details/m.test(screen),
					5000,
				);
				const text = details.replaceAll(/\s+/g, ' ');
				assert.ok(
					text.includes(
						'few prompts share a prefix: keep system prompts first and byte-identical, and send a conversation to the same replica',
					),
					`the whole hint:\n${details}`,
				);
				assert.match(text, /since \d\d:\d\d:\d\d/);
				assert.match(text, /prefix_cache_low: value 40\.0%/);
				assert.match(text, /numbers: running \d+ · waiting \d+ · KV/);
				assert.ok(
					lines(details).every(line => line.length <= 80),
					details,
				);
				tmux.sendKeys('Escape');
				await tmux.waitFor(screen => !/^Details/m.test(screen), 5000);
			},
		);
	},
);

test(
	'at 40x12 the badge, running, waiting and KV stay, and help keeps the p line',
	testOptions,
	async () => {
		await withTmux(
			'node dist/cli.js --demo --scenario overload --time-scale 10 -i 1',
			40,
			12,
			async tmux => {
				const screen = await tmux.waitFor(
					current => /^Waiting\s+\S.*now\s+\d+/m.test(current),
					startMs,
				);
				assert.match(screen, /^\[(?:OK|WARN|CRIT|RESTARTED)]/, screen);
				assert.match(screen, /^Running\s+\S.*now\s+\d+/m, screen);
				assert.match(screen, /^KV cache\s+\S.*now\s+[\d.]+%/m, screen);
				tmux.sendKeys('?');
				const help = await tmux.waitFor(
					current => /^ +p +start or stop/m.test(current),
					5000,
				);
				assert.match(help, /^ +q +Ctrl-C +quit/m);
			},
		);
	},
);

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

/** Lines up to the last one with something on it. */
function contentLines(screen: string): string[] {
	const all = lines(screen);
	while (all.length > 0 && all.at(-1)!.trim() === '') {
		all.pop();
	}

	return all;
}

/** Every line of the pane belongs to one frame: nothing wrapped, nothing drawn twice, nothing below the last line. */
function assertOneFrame(
	tmux: TmuxSession,
	screen: string,
	first: RegExp,
	last: RegExp,
): void {
	const shown = contentLines(screen);
	assert.match(
		shown[0] ?? '',
		first,
		`the frame starts at the top:\n${screen}`,
	);
	assert.equal(
		shown.filter(line => first.test(line)).length,
		1,
		`one first line:\n${screen}`,
	);
	assert.match(shown.at(-1) ?? '', last, `nothing below the frame:\n${screen}`);
	assert.equal(
		shown.filter(line => last.test(line)).length,
		1,
		`one last line:\n${screen}`,
	);
	const trimmed = (text: string) => text.replaceAll(/ +$/gmu, '');
	// The clock redraws the header each second: take a plain and a joined capture of the same frame.
	let plain = trimmed(screen);
	let joined = trimmed(tmux.capture({joinWrapped: true}));
	for (let attempt = 0; attempt < 5 && joined !== plain; attempt++) {
		plain = trimmed(tmux.capture());
		joined = trimmed(tmux.capture({joinWrapped: true}));
	}

	assert.equal(joined, plain, 'no wrapped rows');
}

describe('a change of size repaints the whole screen', () => {
	let server: TestServer;
	let refused: TestServer[] = [];
	const page = readFileSync(
		fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'),
	);
	before(async () => {
		server = await startHttpServer((request, response) => {
			if (request.url?.endsWith('/metrics')) {
				response.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
				response.end(page);
				return;
			}

			response.writeHead(404);
			response.end();
		});
		// Ports that were just free: closed again, they refuse connections.
		refused = await Promise.all(
			[0, 1, 2].map(async () => startHttpServer(() => undefined)),
		);
		await Promise.all(refused.map(async closed => closed.close()));
	});
	after(async () => server?.close());

	const command = () =>
		[
			'node dist/cli.js -i 1',
			...['a', 'b', 'c'].map(name => `${server.url}/${name}/metrics`),
			...refused.map(closed => closed.url),
		].join(' ');

	test(
		'fleet table and help: after 120x30 -> 80x24 -> 60x16 every line belongs to the frame',
		testOptions,
		async () => {
			await withTmux(command(), 120, 30, async tmux => {
				const fleetFirst = /^fleet /;
				const fleetLast = /j\/k move/;
				const rowCount = (screen: string) =>
					lines(screen).filter(line =>
						/^.\s+(?:OK|WARN|CRIT|DOWN|STALE)\s/.test(line),
					).length;
				await tmux.waitFor(
					screen =>
						screen.startsWith('fleet ') &&
						rowCount(screen) === 6 &&
						screen.includes('3/6 up'),
					startMs,
				);
				for (const [columns, rows] of [
					[80, 24],
					[60, 16],
				] as const) {
					tmux.resize(columns, rows);
					await delay(1500);
					assertOneFrame(tmux, tmux.capture(), fleetFirst, fleetLast);
					assert.equal(rowCount(tmux.capture()), 6, tmux.capture());
				}

				const narrow = tmux.capture();
				assert.match(
					narrow,
					/DOWN\s+127\.0\.0\.1:\d+\s/,
					'host:port, not the scheme',
				);
				assert.doesNotMatch(narrow, /http:…/);
				assert.match(narrow, /reason/, 'a reason column');

				tmux.resize(120, 30);
				await delay(1000);
				tmux.sendKeys('?');
				await tmux.waitFor(screen => /^Keys/m.test(screen), 5000);
				const badge = /^\[(?:OK|WARN|CRIT|DOWN|STALE|STARTING)]/;
				for (const [columns, rows] of [
					[80, 24],
					[60, 16],
				] as const) {
					tmux.resize(columns, rows);
					await delay(1500);
					assertOneFrame(tmux, tmux.capture(), badge, /^q quit/);
				}
			});
		},
	);
});
