import {Text} from 'ink';
import {useDisplay} from './display-context.js';
import {styledRow, type Segment} from './styled-row.js';

export type LinesProps = {
	/** One entry per terminal row, top first; each is cut at `width` cells. */
	readonly rows: ReadonlyArray<readonly Segment[]>;
	readonly width: number;
};

/**
Several rows as one text node. Every row is cut to the width first, so ink wraps nothing; one node instead of one per
row spares React and the layout engine work on every frame.
*/
export function Lines({rows, width}: LinesProps) {
	const {ascii} = useDisplay();
	if (rows.length === 0) {
		return null;
	}

	return (
		<Text wrap="truncate-end">
			{rows.map(segments => styledRow(segments, width, ascii)).join('\n')}
		</Text>
	);
}
