/**
Label-set equality, for telling the series of one page from those of the last without building their keys.
*/
import type {Labels} from '../parse/page.js';

/** Equal label sets, whatever the order of their names. */
export function sameLabels(a: Labels, b: Labels): boolean {
	if (a === b) {
		return true;
	}

	// Counted with for-in rather than compared via Object.keys: no arrays made, for every series on every page.
	let count = 0;
	for (const name in a) {
		if (Object.hasOwn(a, name)) {
			if (a[name] !== b[name]) {
				return false;
			}

			count++;
		}
	}

	for (const name in b) {
		if (Object.hasOwn(b, name)) {
			count--;
		}
	}

	return count === 0;
}
