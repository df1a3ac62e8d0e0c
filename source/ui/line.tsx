import {Lines} from './lines.js';
import type {Segment} from './styled-row.js';

export type {Segment} from './styled-row.js';

export type LineProps = {
	/** Parts of the line, each with its own style; cut at `width` cells. */
	readonly segments: readonly Segment[];
	readonly width: number;
};

/** One terminal row made of styled segments; never wraps. */
export function Line({segments, width}: LineProps) {
	return <Lines rows={[segments]} width={width} />;
}
