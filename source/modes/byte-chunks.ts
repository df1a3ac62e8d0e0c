/* eslint-disable unicorn/prefer-code-point -- only ASCII text is written character by character, and charCodeAt is the fast path. */
/**
A long output built as bytes in large buffers: appending copies into the current buffer, and a full one is kept and a
new one started. Text is encoded once where it is made (a cached piece), so the output is never a string that has to
be flattened and encoded again on its way to the pipe.
*/

/** About 1 MB per buffer: few writes to the pipe, and no copy of the whole output to grow one buffer. */
export const chunkBytes = 1 << 20;

export class ByteChunks {
	/** The buffer being filled and where its next byte goes: a writer that asked for `room` may store bytes there itself. */
	chunk: Uint8Array;

	pos = 0;

	private readonly full: Uint8Array[] = [];

	private readonly size: number;

	constructor(size = chunkBytes) {
		this.size = size;
		this.chunk = Buffer.allocUnsafe(size);
	}

	/** Room for `length` more bytes in the current buffer; a piece longer than a buffer gets a buffer of its own size. */
	room(length: number): void {
		if (this.pos + length > this.chunk.length) {
			this.full.push(this.chunk.subarray(0, this.pos));
			this.chunk = Buffer.allocUnsafe(Math.max(this.size, length));
			this.pos = 0;
		}
	}

	/** Appends bytes; `room` was asked for them. */
	bytes(piece: Uint8Array): void {
		this.range(piece, 0, piece.length);
	}

	/** Appends `source[start..end)`; `room` was asked for it. Short ranges are copied in a loop, cheaper than a view. */
	range(source: Uint8Array, start: number, end: number): void {
		const {chunk} = this;
		let {pos} = this;
		if (end - start > 64) {
			chunk.set(source.subarray(start, end), pos);
			pos += end - start;
		} else {
			for (let index = start; index < end; index++) {
				chunk[pos++] = source[index]!;
			}
		}

		this.pos = pos;
	}

	/** Appends ASCII text (a number as JavaScript prints it); `room` was asked for it. */
	ascii(text: string): void {
		const {chunk} = this;
		let {pos} = this;
		for (let index = 0; index < text.length; index++) {
			chunk[pos++] = text.charCodeAt(index);
		}

		this.pos = pos;
	}

	/** Everything appended, in order; the builder is not used after this. */
	finish(): Uint8Array[] {
		if (this.pos > 0) {
			this.full.push(this.chunk.subarray(0, this.pos));
		}

		return this.full;
	}
}
