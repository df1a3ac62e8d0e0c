/**
Cuts a byte stream into lines at '\n' with a cap on line length, which readline lacks: a file that is not a
recording (one huge line) must not be read into memory whole. Lines are decoded as UTF-8 only once complete, so a
character split across chunks stays whole, and strictly: a line that is not UTF-8 is reported, not patched.
*/
import {isUtf8} from 'node:buffer';

export type SplitLine =
	| {readonly tooLong: false; readonly text: string}
	| {readonly tooLong: true}
	/** The line's bytes are not UTF-8: damage, since every line was written as UTF-8 JSON. */
	| {readonly tooLong: false; readonly notUtf8: true};

const newline = 0x0a;

export class LineSplitter {
	private pieces: Uint8Array[] = [];
	private bytes = 0;
	private overflow = false;
	private readonly maxLineBytes: number;

	constructor(maxLineBytes: number) {
		this.maxLineBytes = maxLineBytes;
	}

	/** The lines this chunk completes. */
	push(chunk: Uint8Array): SplitLine[] {
		const lines: SplitLine[] = [];
		let start = 0;
		for (;;) {
			const end = chunk.indexOf(newline, start);
			if (end === -1) {
				this.append(chunk.subarray(start));
				return lines;
			}

			this.append(chunk.subarray(start, end));
			lines.push(this.take());
			start = end + 1;
		}
	}

	/** What is left after the last newline, if anything: a last line without its newline. */
	end(): SplitLine | undefined {
		if (this.bytes === 0 && !this.overflow) {
			return undefined;
		}

		return this.take();
	}

	private append(piece: Uint8Array): void {
		if (this.overflow || piece.length === 0) {
			return;
		}

		if (this.bytes + piece.length > this.maxLineBytes) {
			this.overflow = true;
			this.pieces = [];
			this.bytes = 0;
			return;
		}

		this.pieces.push(piece);
		this.bytes += piece.length;
	}

	private take(): SplitLine {
		const line = this.overflow ? {tooLong: true as const} : this.decode();
		this.pieces = [];
		this.bytes = 0;
		this.overflow = false;
		return line;
	}

	private decode(): SplitLine {
		const bytes = Buffer.concat(this.pieces, this.bytes);
		return isUtf8(bytes)
			? {tooLong: false, text: bytes.toString('utf8')}
			: {tooLong: false, notUtf8: true};
	}
}
