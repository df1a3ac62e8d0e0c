/**
Cuts a byte stream into lines at '\n' with a cap on line length, which readline lacks: a file that is not a
recording (one huge line) must not be read into memory whole. Lines are decoded as UTF-8 only once complete, so a
character split across chunks stays whole.
*/
export type SplitLine =
	{readonly tooLong: false; readonly text: string} | {readonly tooLong: true};

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
		const line: SplitLine = this.overflow
			? {tooLong: true}
			: {tooLong: false, text: Buffer.concat(this.pieces).toString('utf8')};
		this.pieces = [];
		this.bytes = 0;
		this.overflow = false;
		return line;
	}
}
