/**
The module hook `registerInkPatches` installs: it runs on the loader thread and passes every loaded ink source
through `patchInk`.
*/
import {patchInk} from './ink-patches.js';

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
	const patched = patchInk(url, source);
	return patched === source ? result : {...result, source: patched};
}
