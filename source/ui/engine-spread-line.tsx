import type {SpreadPart} from '../format/spread-text.js';
import {Line, type Segment} from './line.js';

export type EngineSpreadLineProps = {
	/** From `spreadParts`: empty on a server of one engine. */
	readonly parts: readonly SpreadPart[];
	readonly width: number;
	readonly rows: number;
};

const separator: Segment = {text: ' · ', tone: 'dim'};

/** Lowest to highest engine of each gauge, so one full engine shows beside an idle one instead of their mean. */
export function EngineSpreadLine({parts, width, rows}: EngineSpreadLineProps) {
	if (rows <= 0 || parts.length === 0) {
		return null;
	}

	const segments: Segment[] = [{text: 'Engines ', bold: true}];
	for (const [index, part] of parts.entries()) {
		if (index > 0) {
			segments.push(separator);
		}

		segments.push(
			{text: `${part.label} `, tone: 'dim'},
			{text: part.text, bold: true},
			{text: ` max engine ${part.spread.max_engine}`, tone: 'dim'},
		);
	}

	return <Line segments={segments} width={width} />;
}
