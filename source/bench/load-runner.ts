import {setTimeout as sleep} from 'node:timers/promises';
import {arrivalTimes} from './arrival-schedule.js';
import type {BenchPrompt} from './bench-request.js';
import type {RequestOutcome} from './request-outcome.js';

/**
Sends a workload on its arrival schedule and collects what the client saw. The only clock and network part of the
generator: the schedule, the prompts and the sending function come in, the outcomes go out.
*/

export type LoadSetup = {
	readonly prompts: readonly BenchPrompt[];
	/** Stop after this many requests; undefined: until `durationS`. */
	readonly total: number | undefined;
	readonly durationS: number | undefined;
	readonly rate: number;
	readonly burstiness: number;
	readonly seed: number;
	readonly maxConcurrency: number | undefined;
	readonly send: (
		item: BenchPrompt,
		signal: AbortSignal,
		runStartMs: number,
	) => Promise<RequestOutcome>;
	/** Aborted on Ctrl-C: no more requests go out, in-flight ones get `drainTimeoutMs` to finish. */
	readonly stop: AbortSignal;
	readonly drainTimeoutMs: number;
};

export type LoadProgress = {
	readonly startMs: number;
	readonly sent: number;
	readonly completed: number;
	readonly failed: number;
	readonly inFlight: number;
	readonly peakInFlight: number;
	readonly total: number | undefined;
	readonly durationS: number | undefined;
	readonly offeredRate: number;
	/** Outcomes so far, in completion order. */
	readonly outcomes: readonly RequestOutcome[];
	readonly finished: boolean;
};

export type LoadResult = {
	readonly outcomes: readonly RequestOutcome[];
	readonly durationS: number;
	/** Stopped early by Ctrl-C. */
	readonly partial: boolean;
	readonly peakInFlight: number;
};

export class LoadRun {
	readonly #setup: LoadSetup;
	readonly #outcomes: RequestOutcome[] = [];
	readonly #cancel = new AbortController();
	readonly #slotWaiters: Array<() => void> = [];
	#startMs = performance.now();
	#sent = 0;
	#inFlight = 0;
	#peak = 0;
	#failed = 0;
	#finished = false;

	constructor(setup: LoadSetup) {
		this.#setup = setup;
	}

	progress(): LoadProgress {
		return {
			startMs: this.#startMs,
			sent: this.#sent,
			completed: this.#outcomes.length - this.#failed,
			failed: this.#failed,
			inFlight: this.#inFlight,
			peakInFlight: this.#peak,
			total: this.#setup.total,
			durationS: this.#setup.durationS,
			offeredRate: this.#setup.rate,
			outcomes: this.#outcomes,
			finished: this.#finished,
		};
	}

	async run(): Promise<LoadResult> {
		const setup = this.#setup;
		this.#startMs = performance.now();
		setup.stop.addEventListener(
			'abort',
			() => {
				for (const wake of this.#slotWaiters.splice(0)) {
					wake();
				}
			},
			{once: true},
		);
		const pending = new Set<Promise<void>>();
		const times = arrivalTimes(setup.rate, setup.burstiness, setup.seed);
		while (this.#wantsMore()) {
			const dueMs = this.#startMs + times.next().value * 1000;
			if (
				setup.durationS !== undefined &&
				dueMs - this.#startMs > setup.durationS * 1000
			) {
				break;
			}

			await this.#waitUntil(dueMs);

			await this.#slot();
			if (setup.stop.aborted || this.#pastDuration()) {
				break;
			}

			const item = setup.prompts[this.#sent % setup.prompts.length]!;
			this.#sent++;
			this.#inFlight++;
			this.#peak = Math.max(this.#peak, this.#inFlight);
			const task = setup
				.send(item, this.#cancel.signal, this.#startMs)
				.then(outcome => {
					this.#record(outcome);
				});
			pending.add(task);
			void task.finally(() => {
				pending.delete(task);
			});
		}

		await this.#drain(pending);
		this.#finished = true;
		return {
			outcomes: this.#outcomes,
			durationS: (performance.now() - this.#startMs) / 1000,
			partial: setup.stop.aborted,
			peakInFlight: this.#peak,
		};
	}

	/** A closed loop (infinite rate, capped concurrency) ends on the clock, not on the schedule. */
	#pastDuration(): boolean {
		const {durationS} = this.#setup;
		return (
			durationS !== undefined &&
			performance.now() - this.#startMs > durationS * 1000
		);
	}

	#wantsMore(): boolean {
		const {total, stop} = this.#setup;
		return !stop.aborted && (total === undefined || this.#sent < total);
	}

	#record(outcome: RequestOutcome): void {
		this.#inFlight--;
		this.#outcomes.push(outcome);
		if (!outcome.ok) {
			this.#failed++;
		}

		this.#slotWaiters.shift()?.();
	}

	async #waitUntil(dueMs: number): Promise<void> {
		const waitMs = dueMs - performance.now();
		if (waitMs > 0) {
			await sleep(waitMs, undefined, {signal: this.#setup.stop}).catch(
				() => undefined,
			);
		}
	}

	async #slot(): Promise<void> {
		const max = this.#setup.maxConcurrency ?? Number.POSITIVE_INFINITY;
		// Woken by a finished request or by Ctrl-C, then checked again.
		while (this.#inFlight >= max && !this.#setup.stop.aborted) {
			await new Promise<void>(resolve => {
				this.#slotWaiters.push(resolve);
			});
		}
	}

	/** Waits for requests in flight; after Ctrl-C only for the drain time, then cancels the rest. */
	async #drain(pending: Set<Promise<void>>): Promise<void> {
		const all = Promise.all(pending);
		if (!this.#setup.stop.aborted) {
			const stopped = new Promise<void>(resolve => {
				this.#setup.stop.addEventListener(
					'abort',
					() => {
						resolve();
					},
					{
						once: true,
					},
				);
			});
			await Promise.race([all, stopped]);
		}

		if (this.#setup.stop.aborted) {
			const drained = new AbortController();
			const timer = sleep(this.#setup.drainTimeoutMs, undefined, {
				signal: drained.signal,
			}).catch(() => undefined);
			await Promise.race([all, timer]);
			drained.abort();
			this.#cancel.abort();
		}

		await Promise.all(pending);
	}
}
