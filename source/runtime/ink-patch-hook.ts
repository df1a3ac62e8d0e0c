/**
The module hook `registerInkPatches` installs: it runs on the loader thread and passes every loaded ink source
through `patchInk`.
*/
import path from 'node:path';
import {patchInk, type ModuleUrl} from './ink-patches.js';

const extension = path.extname(new URL(import.meta.url).pathname);
const folders = {'fast-output': '', 'cell-width': '../format/'} as const;

/** Our modules the patched files import, with this file's extension: `.js` when built, `.ts` when run from source. */
const moduleUrl: ModuleUrl = name =>
	new URL(`${folders[name]}${name}${extension}`, import.meta.url).href;

type LoadResult = {
	readonly format?: string | null;
	readonly source?: string | ArrayBuffer | Uint8Array | null;
};

export async function load(
	url: string,
	context: unknown,
	next: (url: string, context: unknown) => Promise<LoadResult>,
): Promise<LoadResult> {
	const result = await next(url, context);
	if (
		!url.includes('/ink/build/') ||
		result.source === undefined ||
		result.source === null
	) {
		return result;
	}

	const source =
		typeof result.source === 'string'
			? result.source
			: new TextDecoder().decode(result.source);
	const patched = patchInk(url, source, moduleUrl);
	return patched === source ? result : {...result, source: patched};
}
