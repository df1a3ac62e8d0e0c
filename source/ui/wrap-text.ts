import {cellWidth} from '../format/cell-width.js';

/**
Word-wrap `text` into rows of at most `width` cells; a word longer than a row (a URL, a JSON flag) is split. Later
rows start with `indent`, so a wrapped message stays visibly one item.
*/
export function wrapText(text: string, width: number, indent = ''): string[] {
	const room = Math.max(1, width);
	const rows: string[] = [];
	let row = '';
	const push = () => {
		rows.push(row);
		row = indent;
	};

	for (const word of text.split(/\s+/).filter(Boolean)) {
		const gap = row.trim() === '' ? '' : ' ';
		if (cellWidth(row + gap + word) <= room) {
			row += gap + word;
			continue;
		}

		if (row.trim() !== '') {
			push();
		}

		let rest = word;
		while (cellWidth(row + rest) > room) {
			const take = Math.max(1, room - cellWidth(row));
			row += [...rest].slice(0, take).join('');
			rest = [...rest].slice(take).join('');
			push();
		}

		row += rest;
	}

	if (row.trim() !== '' || rows.length === 0) {
		rows.push(row);
	}

	return rows;
}
