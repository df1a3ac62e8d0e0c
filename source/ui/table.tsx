import {cellWidth} from '../format/cell-width.js';
import {useDisplay} from './display-context.js';
import {padText} from './fit-text.js';
import type {Segment} from './line.js';
import {Lines} from './lines.js';
import type {Tone} from './theme.js';

export type Column<Row> = {
	readonly key: string;
	readonly header: string;
	/** Fixed cells; by default the widest of header and cells. */
	readonly width?: number;
	/** @default 'left' */
	readonly align?: 'left' | 'right';
	readonly render: (row: Row) => string;
	/** Tone of a cell, e.g. red for a KV cache above 90 %. */
	readonly tone?: (row: Row) => Tone | undefined;
};

export type TableProps<Row> = {
	readonly columns: ReadonlyArray<Column<Row>>;
	readonly rows: readonly Row[];
	readonly width: number;
	/** Terminal rows including the header; extra data rows collapse into a `+N more` row. */
	readonly maxRows: number;
	/** @default 2 */
	readonly gap?: number;
};

/**
Column widths that fit `width`: natural widths first, then the widest left-aligned (text) columns give up cells,
because numbers cut short would lie.
*/
export function columnWidths<Row>(
	columns: ReadonlyArray<Column<Row>>,
	rows: readonly Row[],
	width: number,
	gap: number,
): number[] {
	const widths = columns.map(
		column =>
			column.width ??
			Math.max(
				cellWidth(column.header),
				...rows.map(row => cellWidth(column.render(row))),
			),
	);
	const total = () =>
		widths.reduce((sum, cells) => sum + cells, 0) +
		gap * Math.max(0, columns.length - 1);
	// Columns sized by their content give up cells before columns given a width.
	const widestText = (sized: boolean) => {
		let widest = -1;
		for (const [index, column] of columns.entries()) {
			if (
				(column.align ?? 'left') === 'left' &&
				(column.width !== undefined) === sized &&
				widths[index]! > 4 &&
				(widest === -1 || widths[index]! > widths[widest]!)
			) {
				widest = index;
			}
		}

		return widest;
	};

	while (total() > width) {
		const unsized = widestText(false);
		const widest = unsized === -1 ? widestText(true) : unsized;

		if (widest === -1) {
			// Only numbers left: the frame cuts the overflow instead of wrapping.
			break;
		}

		widths[widest]!--;
	}

	return widths;
}

/** A plain table: bold header, one row per line, cut with an ellipsis, never wrapping. */
export function Table<Row>({
	columns,
	rows,
	width,
	maxRows,
	gap = 2,
}: TableProps<Row>) {
	const {ascii} = useDisplay();
	if (maxRows <= 0 || columns.length === 0) {
		return null;
	}

	const widths = columnWidths(columns, rows, width, gap);
	const spacer = ' '.repeat(gap);
	const cells = (
		render: (column: Column<Row>, index: number) => Segment,
	): Segment[] =>
		columns.flatMap((column, index) =>
			index === 0
				? [render(column, index)]
				: [{text: spacer}, render(column, index)],
		);
	const header = cells((column, index) => ({
		text: padText(column.header, widths[index]!, column.align, ascii),
		bold: true,
	}));
	const room = maxRows - 1;
	const overflow = rows.length > room;
	const shown = overflow ? rows.slice(0, Math.max(0, room - 1)) : rows;
	const lines: Segment[][] = [
		header,
		...shown.map(row =>
			cells((column, index) => {
				const text = column.render(row);
				return {
					text: padText(text, widths[index]!, column.align, ascii),
					tone: column.tone?.(row) ?? (text === '--' ? 'dim' : undefined),
				};
			}),
		),
	];
	if (overflow && room > 0) {
		lines.push([{text: `+${rows.length - shown.length} more`, tone: 'dim'}]);
	}

	return <Lines rows={lines} width={width} />;
}
