/**
A seeded pseudo-random generator (mulberry32). The simulator must replay the same load for the same seed, so every
random draw goes through one of these and its 32-bit state is part of the model state.
*/
export class Prng {
	#state: number;

	constructor(seed: number) {
		this.#state = seed >>> 0;
	}

	/** The 32-bit state, to store back into an immutable model state after a step. */
	get state(): number {
		return this.#state;
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.#state = (this.#state + 0x6d_2b_79_f5) >>> 0;
		let t = this.#state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	}

	/** Standard normal (Box-Muller). */
	normal(): number {
		const u = 1 - this.next();
		const v = this.next();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	/** Exponential with the given rate (events per unit). */
	exponential(rate: number): number {
		return -Math.log(1 - this.next()) / rate;
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}
}

/** Derives an independent stream from a seed, so adding draws to one stream does not shift the others. */
export function deriveSeed(seed: number, stream: number): number {
	let h = (seed ^ Math.imul(stream + 1, 0x9e_37_79_b9)) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x85_eb_ca_6b) >>> 0;
	h = Math.imul(h ^ (h >>> 13), 0xc2_b2_ae_35) >>> 0;
	return (h ^ (h >>> 16)) >>> 0;
}
