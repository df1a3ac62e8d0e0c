/**
ink 6.8 memoises text measuring and wrapping in two module-level caches that are never emptied
(`build/measure-text.js`, `build/wrap-text.js`). A monitor draws new numbers every scrape, so in a session left open
for days they would grow without end. Neither cache is exported, so a module hook rewrites those two files as they
load: each cache is emptied once it holds `limit` entries. Any other file, or an ink whose source differs, loads
unchanged.
*/
import {register} from 'node:module';

/** Entries per cache: a few frames' worth of distinct lines, far below what could matter for memory. */
export const inkCacheLimit = 4096;

const rewrites: ReadonlyArray<{
	readonly file: string;
	readonly from: string;
	readonly to: string;
}> = [
	{
		file: '/ink/build/measure-text.js',
		from: 'cache.set(text, dimensions);',
		to: `if (cache.size >= ${inkCacheLimit}) cache.clear(); cache.set(text, dimensions);`,
	},
	{
		file: '/ink/build/wrap-text.js',
		from: 'cache[cacheKey] = wrappedText;',
		to: `if (++cacheSize > ${inkCacheLimit}) { for (const key in cache) delete cache[key]; cacheSize = 1; } cache[cacheKey] = wrappedText;`,
	},
];

/** The source of an ink module with its cache bounded; other modules come back as they are. */
export function boundInkCaches(url: string, source: string): string {
	for (const rewrite of rewrites) {
		if (url.endsWith(rewrite.file) && source.includes(rewrite.from)) {
			const declaration = rewrite.file.endsWith('wrap-text.js')
				? 'let cacheSize = 0;\n'
				: '';
			return declaration + source.replace(rewrite.from, rewrite.to);
		}
	}

	return source;
}

let registered = false;

/** Call before ink is first imported. */
export function registerInkCacheBounds(): void {
	if (registered) {
		return;
	}

	registered = true;
	register('./ink-cache-hook.js', import.meta.url);
}
