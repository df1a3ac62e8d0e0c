import {maxIntervalMs, minIntervalMs} from '../scrape/interval.js';
import type {Segment} from './line.js';
import {Lines} from './lines.js';

export type HelpOverlayProps = {
	readonly width: number;
	readonly rows: number;
	/** Hide the profiler key when the monitor must not change the server. */
	readonly isReadOnly: boolean;
};

/** Most used first: a short terminal cuts from the end. */
const keys: ReadonlyArray<readonly [string, string]> = [
	['q  Ctrl-C', 'quit'],
	['?  Esc', 'show or close this help'],
	['space', 'pause the display (scraping goes on)'],
	[
		'+  -',
		`scrape less or more often (${minIntervalMs / 1000}-${maxIntervalMs / 1000} s)`,
	],
	[
		'v',
		'next view: overview, latency, engines, alerts, gpus (with GPU readings)',
	],
	['Enter', 'details: alerts, hints and errors in full'],
	['p', 'start or stop the torch profiler'],
	['w', 'next latency window'],
	['r', 'scrape now (replay: next record)'],
	[']', 'replay: jump a minute ahead'],
];

/** The key list, in place of the body (ink has no layers); cut to the rows there are. */
export function HelpOverlay({width, rows, isReadOnly}: HelpOverlayProps) {
	if (rows <= 0) {
		return null;
	}

	const shown = keys.filter(([key]) => !(isReadOnly && key === 'p'));
	const lines: Segment[][] = [
		[
			{text: 'Keys', bold: true},
			{text: '  (? or Esc to close)', tone: 'dim'},
		],
		...shown.map(([key, meaning]): Segment[] => [
			{text: `  ${key.padEnd(10)}`, tone: 'info', bold: true},
			{text: meaning},
		]),
		[
			{
				text: 'Missing data reads -- · badges: OK WARN CRIT DOWN STALE RESTARTED STARTING',
				tone: 'dim',
			},
		],
	];
	// Short of rows, the keys go before the title and the legend.
	const fitted = lines.length > rows ? lines.slice(1, -1) : lines;
	return <Lines rows={fitted.slice(0, rows)} width={width} />;
}
