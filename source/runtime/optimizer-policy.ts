/**
Whether V8's optimizing compiler runs, chosen from how much the monitor scrapes.

A monitor that wakes every few seconds for a few milliseconds of work runs its code too rarely for the optimizing
compiler to pay for itself. The compiler still compiles the parser and derive code after the first scrapes, on
background threads the box pays for. Watching one vLLM page (about 70 KB) at 5 s, the process used 1.1-1.5 % of a
core over its first minute with the compiler and about 0.6 % without it. From the third minute on it was 0.5 % either
way. Heavy loads (many targets, big pages, short intervals) do run hot code and keep the compiler: a fleet of 100
targets needs it to keep up.
*/
import {setFlagsFromString} from 'node:v8';

/**
Scraped bytes per second at or under which the compiler is switched off. That is two 70 KB pages every 5 s, or one
every 2 s. Past it, cold code would cost more than compiling it.
*/
export const lightLoadBytesPerSecond = 32 * 1024;

export function isLightLoad(bytesPerSecond: number): boolean {
	return bytesPerSecond <= lightLoadBytesPerSecond;
}

export type OptimizerPolicy = {
	/** Called after each scrape with the bytes the monitor now scrapes per second; switches V8 only on a change. */
	readonly observe: (bytesPerSecond: number) => void;
	/** What the policy last chose; true before it has seen a load. */
	readonly isOptimizing: () => boolean;
};

/** V8 reads the flag whenever it decides to optimize a function, so a change applies from then on. */
export function createOptimizerPolicy(
	setFlags: (flags: string) => void = setFlagsFromString,
): OptimizerPolicy {
	let optimizing = true;
	return {
		observe(bytesPerSecond) {
			const wanted = !isLightLoad(bytesPerSecond);
			if (wanted !== optimizing) {
				optimizing = wanted;
				setFlags(wanted ? '--turbofan' : '--no-turbofan');
			}
		},
		isOptimizing: () => optimizing,
	};
}

/** The policy told `factor` times the scraped load: `--demo` simulates the server in the same process too. */
export function scaledLoad(
	policy: Pick<OptimizerPolicy, 'observe'>,
	factor: number,
): Pick<OptimizerPolicy, 'observe'> {
	return {
		observe(bytesPerSecond) {
			policy.observe(bytesPerSecond * factor);
		},
	};
}
