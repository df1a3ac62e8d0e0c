/**
Tells who listens that ink has drawn a frame: `run-tui.tsx` hands `emit` to ink as its `onRender` option. A repaint
after a resize waits for the first frame drawn at the new size instead of guessing how long ink's frame throttle
takes.
*/
import {createContext} from 'react';

export type FrameSignal = {
	/** Ink drew a frame; called inside ink's render, before it keeps the frame as its last output. */
	readonly emit: () => void;
	/** Calls `listener` after every frame until the returned function is called. */
	readonly subscribe: (listener: () => void) => () => void;
};

export function createFrameSignal(): FrameSignal {
	const listeners = new Set<() => void>();
	return {
		emit() {
			for (const listener of listeners) {
				listener();
			}
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
	};
}

/** Absent in component tests, which draw to no terminal and never repaint. */
export const FrameSignalContext = createContext<FrameSignal | undefined>(
	undefined,
);
