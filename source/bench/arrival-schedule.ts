import {Prng} from '../simulator/prng.js';

/**
When each request is sent, in seconds from the start: gaps drawn from a gamma distribution with shape `burstiness`
and mean 1/rate, as `vllm bench serve` does (burstiness 1 is a Poisson process; below 1 burstier, above 1 more
even). An infinite rate sends everything at once.
*/
export function* arrivalTimes(
	rate: number,
	burstiness: number,
	seed: number,
): Generator<number, never> {
	const rng = new Prng(seed);
	let time = 0;
	for (;;) {
		if (rate !== Number.POSITIVE_INFINITY) {
			time += gamma(rng, burstiness) / (rate * burstiness);
		}

		yield time;
	}
}

/** The first `count` arrival times. */
export function arrivalOffsets(
	count: number,
	rate: number,
	burstiness: number,
	seed: number,
): number[] {
	const times = arrivalTimes(rate, burstiness, seed);
	return Array.from({length: count}, () => times.next().value);
}

/** Gamma with the given shape and scale 1 (Marsaglia and Tsang; shapes below 1 by the boost u^(1/shape)). */
export function gamma(rng: Prng, shape: number): number {
	if (shape < 1) {
		return gamma(rng, shape + 1) * (1 - rng.next()) ** (1 / shape);
	}

	const d = shape - 1 / 3;
	const c = 1 / Math.sqrt(9 * d);
	for (;;) {
		let x: number;
		let v: number;
		do {
			x = rng.normal();
			v = 1 + c * x;
		} while (v <= 0);

		v **= 3;
		const u = 1 - rng.next();
		if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
			return d * v;
		}
	}
}

/** Coefficient of variation of the gaps between consecutive offsets: 1 for Poisson, 1/sqrt(burstiness) for gamma. */
export function gapVariation(offsets: readonly number[]): number {
	const gaps = offsets.map((offset, index) =>
		index === 0 ? offset : offset - offsets[index - 1]!,
	);
	const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
	const variance =
		gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
	return Math.sqrt(variance) / mean;
}
