import {useStdout} from 'ink';
import {useEffect, useState} from 'react';
import type {TerminalSize} from '../layout.js';

/** Erase the whole screen and home the cursor. */
const clearScreen = '\u001B[2J\u001B[H';
/**
How long after the last resize event the screen is repainted: longer than ink's frame throttle, so the frame for the
new size has been drawn by then.
*/
const repaintDelayMs = 300;

/**
Columns and rows of the output terminal, updated on `resize`. A pipe has neither: assume 80x24.

After a resize the whole screen is erased and the current frame written again from the top: the terminal rewraps
what was drawn for the old width, and ink, which only knows how many lines it wrote, would leave pieces of old
frames above the new one.
*/
export function useTerminalSize(): TerminalSize {
	const {stdout, write} = useStdout();
	const read = (): TerminalSize => ({
		columns: stdout.columns || 80,
		rows: stdout.rows || 24,
	});
	const [size, setSize] = useState(read);
	useEffect(() => {
		let repaint: NodeJS.Timeout | undefined;
		const onResize = () => {
			setSize(read());
		};

		const onTerminalResize = () => {
			onResize();
			if (stdout.isTTY) {
				clearTimeout(repaint);
				repaint = setTimeout(() => {
					write(clearScreen);
				}, repaintDelayMs);
			}
		};

		stdout.on('resize', onTerminalResize);
		// The size may have changed between the first render and this effect.
		onResize();
		return () => {
			clearTimeout(repaint);
			stdout.off('resize', onTerminalResize);
		};
		// `read` only closes over `stdout`.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [stdout, write]);
	return size;
}
