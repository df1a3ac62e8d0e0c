/**
Which prompt blocks the server has computed before, keyed like vLLM's prefix cache: a block's key hashes its tokens
and the key of the block before it, so only a shared prefix matches. Bounded: it forgets everything when full.
*/
export class PrefixIndex {
	readonly #blockSize: number;
	readonly #maxBlocks: number;
	readonly #seen = new Set<number>();

	constructor(blockSize: number, maxBlocks = 200_000) {
		this.#blockSize = blockSize;
		this.#maxBlocks = maxBlocks;
	}

	/** Tokens of `ids` found computed (whole blocks from the start); remembers every full block of `ids`. */
	lookUpAndAdd(ids: readonly number[]): number {
		const full = Math.floor(ids.length / this.#blockSize);
		if (this.#seen.size + full > this.#maxBlocks) {
			this.#seen.clear();
		}

		let key = 17;
		let hits = 0;
		let matching = true;
		for (let block = 0; block < full; block++) {
			for (let index = 0; index < this.#blockSize; index++) {
				key =
					(Math.imul(key, 0x01_00_01_93) ^
						ids[block * this.#blockSize + index]!) >>>
					0;
			}

			// Two numbers keep accidental collisions rare enough for a simulator.
			const id = key * 4096 + block;
			if (matching && this.#seen.has(id)) {
				hits++;
			} else {
				matching = false;
				this.#seen.add(id);
			}
		}

		return hits * this.#blockSize;
	}
}
