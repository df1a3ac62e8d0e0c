import {performance} from 'node:perf_hooks';
import type {ScrapeResult} from '../scrape/scrape-result.js';
import type {RecordedGpu} from './gpu-record.js';
import {entryAt, type RecordedEntry, type ServerMeta} from './record-line.js';
import type {ReplaySpeed} from './replay-speed.js';

/**
A long gap in a recording (the monitor was suspended, the target was down and retried slowly) is waited out for at
most this long in real time, so a replay never seems stuck. The recorded times still drive rates and windows,
so what is shown after the gap is what the live monitor showed.
*/
export const maxReplayDelayMs = 5000;

/** The real time to wait between feeding a record recorded at `previousAt` and the next, recorded at `nextAt`. */
export function replayDelayMs(
	previousAt: number,
	nextAt: number,
	speed: ReplaySpeed,
): number {
	if (speed === 'max') {
		return 0;
	}

	// Concurrent scrapes of several targets finish out of order, so recorded times may step back a little.
	const gap = nextAt - previousAt;
	if (!(gap > 0)) {
		return 0;
	}

	return Math.min(maxReplayDelayMs, gap / speed);
}

export type ReplayerOptions = {
	readonly source: AsyncIterable<RecordedEntry>;
	readonly speed: ReplaySpeed;
	readonly onRecord: (name: string, result: ScrapeResult) => void;
	readonly onMeta?: (name: string, meta: ServerMeta) => void;
	readonly onGpu?: (entry: RecordedGpu) => void;
	/** The source ran out. Not called after `stop()`. */
	readonly onEnd: () => void;
	/** The source threw (a reader from this folder never does) or a callback threw; the replay goes on where it can. */
	readonly onError?: (message: string) => void;
};

export type Replayer = {
	readonly paused: boolean;
	readonly speed: ReplaySpeed;
	/** Recorded epoch ms of the last record fed, to show as the replay's clock; undefined before the first. */
	readonly position: number | undefined;
	readonly ended: boolean;
	pause(): void;
	resume(): void;
	/** While paused: feeds the next record now. While playing: feeds it without waiting out its gap. */
	step(): void;
	/** Feeds, without waiting, every record up to `seconds` of recorded time after the last one fed; works paused too. */
	jump(seconds: number): void;
	setSpeed(speed: ReplaySpeed): void;
	/** Stops for good and closes the source. */
	stop(): void;
};

/** At 'max' speed, hand the event loop back this often so key presses and rendering still get their turn. */
const yieldEveryMs = 25;

/**
Feeds recorded entries to the pipeline with the recorded gaps between them, scaled by the speed.

One pull loop reads the next entry, waits out its gap on a single timer, and feeds it. Pause, step, jump, speed
changes and stop all just cut the current wait short; the loop then looks at the state again. Nothing runs while
paused or waiting.
*/
export function createReplayer(options: ReplayerOptions): Replayer {
	const iterator = options.source[Symbol.asyncIterator]();
	let {speed} = options;
	let paused = false;
	let stopped = false;
	let ended = false;
	let steps = 0;
	let position: number | undefined;
	/** Recorded ms of the entry read but not yet fed. */
	let waitingAt: number | undefined;
	/** Recorded ms up to which records are fed without waiting. */
	let jumpTo: number | undefined;
	/** A jump asked for before the first record was read, applied from that record. */
	let pendingJumpMs = 0;
	let timer: NodeJS.Timeout | undefined;
	let wake: (() => void) | undefined;

	const poke = () => {
		clearTimeout(timer);
		timer = undefined;
		const resolve = wake;
		wake = undefined;
		resolve?.();
	};

	/** Resolves after `ms`, or when poked; without `ms` only when poked. */
	const wait = async (ms?: number) =>
		new Promise<void>(resolve => {
			wake = resolve;
			if (ms !== undefined) {
				timer = setTimeout(poke, ms);
			}
		});

	const jumping = (at: number) => jumpTo !== undefined && at <= jumpTo;

	const report = (error: unknown) => {
		options.onError?.(
			`replay: ${error instanceof Error ? error.message : String(error)}`,
		);
	};

	async function run(): Promise<void> {
		let lastYield = performance.now();
		for (;;) {
			let next: IteratorResult<RecordedEntry>;
			try {
				next = await iterator.next();
			} catch (error) {
				report(error);
				next = {done: true, value: undefined};
			}

			if (stopped) {
				return;
			}

			if (next.done) {
				ended = true;
				options.onEnd();
				return;
			}

			const entry = next.value;
			const at = entryAt(entry);
			if (position === undefined && pendingJumpMs > 0) {
				jumpTo = at + pendingJumpMs;
				pendingJumpMs = 0;
			}

			waitingAt = at;
			const fed = await waitForTurn(at);
			waitingAt = undefined;
			if (!fed) {
				return;
			}

			feed(entry);
			position = at;
			if (jumpTo !== undefined && at >= jumpTo) {
				jumpTo = undefined;
			}

			if (performance.now() - lastYield > yieldEveryMs) {
				await new Promise(resolve => {
					setImmediate(resolve);
				});
				lastYield = performance.now();
			}
		}
	}

	/** Waits until the entry recorded at `at` may be fed; false once stopped. */
	async function waitForTurn(at: number): Promise<boolean> {
		let remaining =
			position === undefined ? 0 : replayDelayMs(position, at, speed);
		for (;;) {
			if (stopped) {
				return false;
			}

			if (jumping(at)) {
				return true;
			}

			if (steps > 0) {
				steps--;
				return true;
			}

			if (paused) {
				await wait();
				continue;
			}

			if (remaining <= 0) {
				return true;
			}

			const started = performance.now();
			const speedBefore = speed;
			await wait(remaining);
			remaining -= performance.now() - started;
			if (speed !== speedBefore) {
				remaining =
					speed === 'max' || speedBefore === 'max'
						? 0
						: (remaining * speedBefore) / speed;
			}
		}
	}

	function feed(entry: RecordedEntry): void {
		try {
			if (entry.type === 'scrape') {
				options.onRecord(entry.name, entry.result);
			} else if (entry.type === 'meta') {
				options.onMeta?.(entry.name, entry.meta);
			} else {
				options.onGpu?.(entry);
			}
		} catch (error) {
			report(error);
		}
	}

	void run();

	return {
		get paused() {
			return paused;
		},
		get speed() {
			return speed;
		},
		get position() {
			return position;
		},
		get ended() {
			return ended;
		},
		pause() {
			paused = true;
			poke();
		},
		resume() {
			paused = false;
			poke();
		},
		step() {
			if (!stopped && !ended) {
				steps++;
				poke();
			}
		},
		jump(seconds) {
			if (!(seconds > 0) || stopped || ended) {
				return;
			}

			const ms = seconds * 1000;
			const from = jumpTo ?? position ?? waitingAt;
			if (from === undefined) {
				pendingJumpMs += ms;
			} else {
				jumpTo = from + ms;
			}

			poke();
		},
		setSpeed(next) {
			speed = next;
			poke();
		},
		stop() {
			if (stopped) {
				return;
			}

			stopped = true;
			poke();
			void iterator.return?.()?.catch(() => undefined);
		},
	};
}
