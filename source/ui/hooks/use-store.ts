import {useSyncExternalStore} from 'react';
import type {Store} from '../../store/store.js';

/** The store's current value; re-renders on every `set`, which happens once per scrape or per command. */
export function useStore<T>(store: Store<T>): T {
	return useSyncExternalStore(store.subscribe, store.get, store.get);
}
