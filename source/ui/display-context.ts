/**
Terminal capabilities every leaf needs (block glyphs or not), shared through context instead of threaded through
each layout component.
*/
import {createContext, useContext} from 'react';

export type Display = {
	/** Only ASCII on screen: no block glyphs, box drawing or ellipsis. */
	readonly ascii: boolean;
};

export const DisplayContext = createContext<Display>({ascii: false});

export function useDisplay(): Display {
	return useContext(DisplayContext);
}
