/*
What the view costs, each figure beside a baseline measured in the same run: start-up to the first frame against a
bare ink app, CPU per scrape cycle against the scrape alone, idle CPU against the bare ink app idling, and memory
after 10,000 scrapes. Frames are drawn the way the monitor draws them: one mounted instance of ink, re-rendered with
each new state into a 100x30 terminal. Both programs run on plain node as a user runs
them (the product from dist/cli.js, the baseline from bench/bare-ink-app.js); BENCH_SECONDS sets the idle period
(default 60).
*/
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {Writable} from 'node:stream';
import {createElement} from 'react';
import {render, Text} from 'ink';
import {defaultAlertConfig} from '../source/alerts/alert-config.js';
import {createScrapeClient} from '../source/scrape/scrape-client.js';
import type {ScrapeResult} from '../source/scrape/scrape-result.js';
import {startSimulator} from '../source/simulator/simulator-server.js';
import {formatFromContentType} from '../source/parse/format-from-content-type.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {ingestScrape} from '../source/pipeline/ingest-scrape.js';
import {initialMonitorState} from '../source/store/monitor-state.js';
import {
	initialTargetState,
	reduceScrape,
	type TargetState,
} from '../source/pipeline/target-reducer.js';
import type {Dashboard as DashboardView} from '../source/ui/dashboard.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const bareApp = path.join(root, 'bench', 'bare-ink-app.js');
const context = {windowSeconds: 60, alertConfig: defaultAlertConfig};

function median(values: readonly number[]): number {
	const sorted = values.toSorted((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function quote(word: string): string {
	return `'${word.replaceAll("'", String.raw`'\''`)}'`;
}

/** `node <arguments>` in a 100x30 pseudo-terminal (util-linux `script`), in a process group of its own. */
function spawnInTerminal(arguments_: readonly string[]): ChildProcess {
	const command = `stty cols 100 rows 30; exec ${[process.execPath, ...arguments_].map(word => quote(word)).join(' ')}`;
	return spawn('script', ['-qfec', command, '/dev/null'], {
		cwd: root,
		detached: true,
		env: {...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8'},
		stdio: ['pipe', 'pipe', 'ignore'],
	});
}

/** The node process `script` runs (its shell execs node, so it is script's only child). */
async function programPid(terminal: ChildProcess): Promise<number> {
	for (let attempt = 0; attempt < 100; attempt++) {
		const found = spawnSync('pgrep', ['-P', String(terminal.pid)], {
			encoding: 'utf8',
		}).stdout.trim();
		const pid = Number.parseInt(found, 10);
		if (
			pid > 0 &&
			readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(process.execPath)
		) {
			return pid;
		}

		await delay(100);
	}

	throw new Error('the program did not start under script');
}

/** Wall ms from spawn until `marker` shows in what the program draws on a 100x30 pseudo-terminal. */
async function msToMarker(
	arguments_: readonly string[],
	marker: string,
): Promise<number> {
	const started = performance.now();
	const child = spawnInTerminal(arguments_);
	try {
		return await new Promise<number>((resolve, reject) => {
			let seen = '';
			const timer = setTimeout(() => {
				reject(new Error(`${marker} not drawn within 60 s`));
			}, 60_000);
			child.stdout!.setEncoding('utf8');
			child.stdout!.on('data', (chunk: string) => {
				seen += chunk;
				if (seen.includes(marker)) {
					clearTimeout(timer);
					resolve(performance.now() - started);
				}
			});
		});
	} finally {
		stopGroup(child);
	}
}

function stopGroup(child: ChildProcess): void {
	try {
		process.kill(-child.pid!, 'SIGKILL');
	} catch {
		// Already gone.
	}
}

/** CPU seconds a process has used, from /proc (utime + stime, in clock ticks of 100 Hz). */
function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
	return Number(kb) / 1024;
}

/** `npm run bench` runs node with --expose-gc. */
function forceGc(): void {
	globalThis.gc?.();
	globalThis.gc?.();
}

/** User + system CPU ms since `start`; process.cpuUsage counts in microseconds. */
function cpuMs(start: NodeJS.CpuUsage): number {
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

function fixed(value: number, digits = 2): string {
	return value.toFixed(digits);
}

/** A terminal that counts what is written to it; `nextWrite` settles on the next frame ink writes. */
class BenchTerminal extends Writable {
	isTTY = true;
	columns = 100;
	rows = 30;
	bytes = 0;
	#waiting: (() => void) | undefined;

	async nextWrite(): Promise<void> {
		return new Promise(resolve => {
			this.#waiting = resolve;
		});
	}

	override _write(
		chunk: Uint8Array,
		_encoding: string,
		done: (error?: Error) => void,
	): void {
		this.bytes += chunk.length;
		const waiting = this.#waiting;
		this.#waiting = undefined;
		waiting?.();
		done();
	}
}

/**
CPU ms of one frame that is a single plain-ASCII <Text> filling the same terminal, one number changing per frame:
ink 6.8 lays out, rasterises and prints the whole frame whatever changed, so this is the floor under any frame.
*/
async function bareFrameCpu(terminal: BenchTerminal): Promise<number> {
	const rows = terminal.rows - 1;
	const frame = (index: number) =>
		createElement(
			Text,
			null,
			Array.from({length: rows}, (_, row) =>
				`${row} ${index} `.padEnd(terminal.columns - 1, 'x'),
			).join('\n'),
		);
	const instance = render(frame(0), {
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- it implements what ink writes to
		stdout: terminal as unknown as NodeJS.WriteStream,
		patchConsole: false,
		maxFps: 1000,
	});
	const times: number[] = [];
	for (let index = 1; index <= 360; index++) {
		const written = terminal.nextWrite();
		const start = process.cpuUsage();
		instance.rerender(frame(index));
		await written;
		if (index > 60) {
			times.push(cpuMs(start));
		}
	}

	instance.unmount();
	return median(times);
}

export async function runTuiBench(): Promise<string[]> {
	// What the CLI runs: the built view (typed as its source), on ink as installed.
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
	const {Dashboard} = (await import(
		path.join(root, 'dist', 'source', 'ui', 'dashboard.js')
	)) as {Dashboard: typeof DashboardView};
	const seconds = Number(process.env['BENCH_SECONDS'] ?? 60);
	const lines: string[] = [];
	const simulator = await startSimulator({
		scenario: 'kv-pressure',
		engines: 2,
		seed: 1,
	});
	const client = createScrapeClient();
	try {
		// (a) Start-up: median of three runs each, after one warm-up run that fills tsx's cache.
		await msToMarker([bareApp], 'bare ink ready');
		await msToMarker([cli, simulator.url], 'vLLM ');
		const bare: number[] = [];
		const frame: number[] = [];
		const data: number[] = [];
		for (let run = 0; run < 3; run++) {
			bare.push(await msToMarker([bareApp], 'bare ink ready'));

			frame.push(await msToMarker([cli, simulator.url], 'vLLM '));

			data.push(await msToMarker([cli, simulator.url], 'vLLM 0.'));
		}

		lines.push(
			`start to first frame: ${fixed(median(frame), 0)} ms (with data: ${fixed(median(data), 0)} ms), bare ink app ${fixed(median(bare), 0)} ms, ratio ${fixed(median(frame) / median(bare))}x (target <= 1.2x)`,
		);

		// (b) CPU per cycle. The simulator serves from this process, so its page generation would be billed to the
		// monitor: the pages are fetched first (that fetch is the scrape-alone baseline), then each one is timed through
		// parse -> derive + alerts (the reducer `ingestScrape` runs) -> render.
		const cycles = 60;
		const pages: ScrapeResult[] = [];
		const scrapeOnly: number[] = [];
		for (let index = 0; index < cycles; index++) {
			simulator.advance(5);
			const start = process.cpuUsage();
			const scraped = await client.scrape(`${simulator.url}/metrics`);
			scrapeOnly.push(cpuMs(start));
			pages.push(scraped);
		}

		// The options the view uses, but no frame-rate cap, so each re-render draws at once and is timed whole.
		const terminal = new BenchTerminal();
		const dashboard = (target: TargetState, at: number) =>
			createElement(Dashboard, {
				state: initialMonitorState([target.view], {intervalMs: 5000}),
				size: {columns: terminal.columns, rows: terminal.rows},
				now: at,
			});
		const instance = render(
			dashboard(initialTargetState('bench', simulator.url), pages[0]!.at),
			{
				// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- it implements what ink writes to
				stdout: terminal as unknown as NodeJS.WriteStream,
				patchConsole: false,
				maxFps: 1000,
			},
		);
		const draw = async (target: TargetState, at: number) => {
			const written = terminal.nextWrite();
			instance.rerender(dashboard(target, at));
			await written;
		};

		// Untimed passes first (300 frames), so the timed ones see the steady state rather than the JIT still compiling
		// on its background threads, which process.cpuUsage counts. A monitor at 5 s reaches that state only after hours;
		// what it costs per cycle before that is in the idle figure below, which measures the real view.
		let warm: TargetState = initialTargetState('warm-up', simulator.url);
		for (let pass = 0; pass < 5; pass++) {
			for (const result of pages) {
				const at =
					result.at - (5 - pass) * (pages.at(-1)!.at - pages[0]!.at + 5000);
				warm = ingestScrape(warm, {...result, at}, context);
				await draw(warm, at);
			}
		}

		terminal.bytes = 0;
		let state: TargetState = initialTargetState('bench', simulator.url);
		const parseCpu: number[] = [];
		const deriveCpu: number[] = [];
		const renderCpu: number[] = [];
		const fullCycle: number[] = [];
		let bytes = 0;
		// Three passes over the pages, the clock moving on, so one busy moment of the machine weighs less in the median.
		const span = pages.at(-1)!.at - pages[0]!.at + 5000;
		for (let pass = 1; pass <= 3; pass++) {
			for (const scraped of pages) {
				const result = {...scraped, at: scraped.at + pass * span};
				let start = process.cpuUsage();
				const page = result.ok
					? parseExposition(
							result.body,
							formatFromContentType(result.contentType),
						)
					: null;
				parseCpu.push(cpuMs(start));
				start = process.cpuUsage();
				state = reduceScrape(state, {
					result,
					page,
					at: result.at,
					windowSeconds: context.windowSeconds,
					alertConfig: context.alertConfig,
				});
				deriveCpu.push(cpuMs(start));
				start = process.cpuUsage();
				await draw(state, result.at);
				renderCpu.push(cpuMs(start));
				fullCycle.push(
					parseCpu.at(-1)! + deriveCpu.at(-1)! + renderCpu.at(-1)!,
				);
				if (result.ok) {
					bytes = result.body.length;
				}
			}
		}

		// A frame between scrapes: the same data, the clock a second on (what a header clock tick redraws). The body
		// is memoised, so React renders only the header and status line; ink still lays out and prints the whole frame.
		const tickCpu: number[] = [];
		for (let tick = 1; tick <= 60; tick++) {
			const start = process.cpuUsage();
			const written = terminal.nextWrite();
			instance.rerender(
				dashboard(state, pages.at(-1)!.at + 3 * span + tick * 1000),
			);
			// A frame that prints what the last one did writes nothing.
			await Promise.race([written, delay(100)]);
			tickCpu.push(cpuMs(start));
		}

		instance.unmount();
		const bytesPerFrame = terminal.bytes / fullCycle.length;
		const floor = await bareFrameCpu(terminal);
		const react =
			process.env['NODE_ENV'] === 'production' ? 'production' : 'development';
		lines.push(
			`CPU per cycle (page ${fixed(bytes / 1024, 0)} KB, pages fetched beforehand): parse+derive+alerts+render ${fixed(median(fullCycle))} ms median (target < 5 ms; parse ${fixed(median(parseCpu))}, derive+alerts ${fixed(median(deriveCpu))}, render ${fixed(median(renderCpu))} with React's ${react} build, ${fixed(bytesPerFrame / 1024, 1)} KB written per frame), scrape alone ${fixed(median(scrapeOnly))} ms`,
			`a frame between scrapes (clock a second on, same data): ${fixed(median(tickCpu))} ms median, against ${fixed(median(renderCpu))} ms for a frame with new data and ${fixed(floor)} ms for ink drawing one plain text of the same size (${terminal.columns}x${terminal.rows - 1}, the least a frame costs on published ink)`,
		);

		// (d) Memory: 10,000 scrapes through the reducer, pages reused with an advancing clock. By scrape 1,000 every
		// history is full, so what grows after that is what is not bounded.
		const memory = () => {
			forceGc();
			const {rss, heapUsed} = process.memoryUsage();
			return {rss: rss / 1024 / 1024, heap: heapUsed / 1024 / 1024};
		};

		const before = memory();
		let full = before;
		let target: TargetState = initialTargetState('bench', simulator.url);
		const first = pages[0]!.at;
		for (let index = 0; index < 10_000; index++) {
			const page = pages[index % pages.length]!;
			target = ingestScrape(
				target,
				{...page, at: first + index * 5000},
				context,
			);
			if (index === 999) {
				full = memory();
			} else if (index % 100 === 99) {
				// A monitor idles between scrapes, and V8 collects then; this loop never idles, so it collects here.
				forceGc();
			}
		}

		const after = memory();
		lines.push(
			`growth over 10,000 scrapes: RSS ${fixed(after.rss - before.rss, 1)} MB, heap ${fixed(after.heap - before.heap, 1)} MB (target < 2 MB); from scrape 1,000 (histories full) to 10,000: RSS ${fixed(after.rss - full.rss, 1)} MB, heap ${fixed(after.heap - full.heap, 1)} MB (this process ${fixed(after.rss, 0)} MB, phase ${target.view.phase})`,
		);

		// (c) and RSS: the view itself in a pseudo-terminal at a 5 s interval, against the bare ink app idling in one.
		const view = spawnInTerminal([cli, '-i', '5', simulator.url]);
		const idle = spawnInTerminal([bareApp, 'idle']);
		// What they draw is read and dropped, as a terminal would, so neither blocks on a full pipe.
		view.stdout!.resume();
		idle.stdout!.resume();
		try {
			const pids = {view: await programPid(view), idle: await programPid(idle)};
			await delay(5000);
			const startRss = {view: rssMb(pids.view), idle: rssMb(pids.idle)};
			const startCpu = {
				view: cpuSeconds(pids.view),
				idle: cpuSeconds(pids.idle),
			};
			await delay(seconds * 1000);
			const viewCpu = (cpuSeconds(pids.view) - startCpu.view) / seconds;
			const idleCpu = (cpuSeconds(pids.idle) - startCpu.idle) / seconds;
			lines.push(
				`average CPU over ${seconds} s, the view at -i 5: ${fixed(viewCpu * 100)} % of one core (target <= 0.5 %), bare ink app idle: ${fixed(idleCpu * 100)} %`,
				`RSS after start: the view ${fixed(startRss.view, 0)} MB, after ${seconds} s ${fixed(rssMb(pids.view), 0)} MB; bare ink app ${fixed(startRss.idle, 0)} MB, ratio ${fixed(startRss.view / startRss.idle)}x (target <= 1.5x)`,
			);
		} finally {
			stopGroup(view);
			stopGroup(idle);
		}
	} finally {
		await client.close();
		await simulator.stop();
	}

	return lines;
}

if (process.argv[1] === import.meta.filename) {
	for (const line of await runTuiBench()) {
		console.log(line);
	}
}
