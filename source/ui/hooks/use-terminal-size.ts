import {useStdout} from 'ink';
import {useContext, useEffect, useRef, useState} from 'react';
import {FrameSignalContext} from '../frame-signal.js';
import type {TerminalSize} from '../layout.js';

/** Erase the whole screen and home the cursor. */
const clearScreen = '\u001B[2J\u001B[H';

function sameSize(a: TerminalSize, b: TerminalSize): boolean {
	return a.columns === b.columns && a.rows === b.rows;
}

/**
Columns and rows of the output terminal, updated on `resize`. A pipe has neither: assume 80x24.

After a resize the whole screen is erased and the current frame written again from the top: the terminal rewraps
what was drawn for the old width (ink draws the old tree once when the size changes), and ink, which only knows how
many lines it wrote, would leave pieces of old frames above the new one. The repaint waits for the first frame ink
draws at the new size, whenever its frame throttle lets that come, so it never repeats an old frame.
*/
export function useTerminalSize(): TerminalSize {
	const {stdout, write} = useStdout();
	const frames = useContext(FrameSignalContext);
	const read = (): TerminalSize => ({
		columns: stdout.columns || 80,
		rows: stdout.rows || 24,
	});
	const [size, setSize] = useState(read);
	const rendered = useRef(size);
	// Set while rendering, not in an effect: ink draws the tree inside the commit that follows, before any effect runs,
	// and the frame listener must know which size the tree it just drew was laid out for.
	// eslint-disable-next-line react-hooks/refs
	rendered.current = size;
	useEffect(() => {
		let repaintPending = false;
		let repaint: NodeJS.Immediate | undefined;
		const onResize = () => {
			setSize(read());
		};

		const onTerminalResize = () => {
			repaintPending = stdout.isTTY;
			onResize();
		};

		const unsubscribe = frames?.subscribe(() => {
			if (repaintPending && sameSize(rendered.current, read())) {
				repaintPending = false;
				// After ink has kept this frame as its last output, which the repaint writes again.
				repaint = setImmediate(() => {
					write(clearScreen);
				});
			}
		});
		stdout.on('resize', onTerminalResize);
		// The size may have changed between the first render and this effect.
		onResize();
		return () => {
			clearImmediate(repaint);
			unsubscribe?.();
			stdout.off('resize', onTerminalResize);
		};
		// `read` only closes over `stdout`.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [stdout, write, frames]);
	return size;
}
