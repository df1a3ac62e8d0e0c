/**
What a terminal shows for a frame: for every row, each cell's character and the colours and attributes it is drawn
with, whatever escape codes produced them. Two frames that print differently but look the same compare equal.
Reads SGR codes only (what ink and chalk emit).
*/
export type Cell = {readonly char: string; readonly style: string};

/** The attribute an SGR code sets, and the value; a closing code sets the attribute back to ''. */
function apply(state: Map<string, string>, codes: readonly number[]): void {
	for (let index = 0; index < codes.length; index++) {
		const code = codes[index]!;
		if (code === 0) {
			state.clear();
		} else if (code === 38 || code === 48) {
			const length = codes[index + 1] === 5 ? 2 : 4;
			state.set(
				code === 38 ? 'fg' : 'bg',
				codes.slice(index, index + 1 + length).join(';'),
			);
			index += length;
		} else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) {
			state.set('fg', String(code));
		} else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) {
			state.set('bg', String(code));
		} else if (code === 39 || code === 49) {
			state.delete(code === 39 ? 'fg' : 'bg');
		} else if (code === 22) {
			state.delete('1');
			state.delete('2');
		} else if (code >= 23 && code <= 29) {
			state.delete(String(code - 20));
		} else {
			state.set(String(code), 'on');
		}
	}
}

export function screenCells(frame: string): Cell[][] {
	return frame.split('\n').map(line => {
		const state = new Map<string, string>();
		const cells: Cell[] = [];
		// eslint-disable-next-line no-control-regex -- the escape character is what separates codes from text
		const parts = line.split(/(\u001B\[[\d;]*m)/v);
		for (const part of parts) {
			if (part.startsWith('\u001B[')) {
				const body = part.slice(2, -1);
				apply(state, body === '' ? [0] : body.split(';').map(Number));
				continue;
			}

			const style = [...state.entries()]
				.map(([key, value]) => `${key}=${value}`)
				.toSorted()
				.join(' ');
			for (const char of part) {
				cells.push({char, style});
			}
		}

		// A trailing blank with no style shows nothing: the same as no cell.
		while (
			cells.length > 0 &&
			cells.at(-1)!.char === ' ' &&
			cells.at(-1)!.style === ''
		) {
			cells.pop();
		}

		return cells;
	});
}
