/**
The module hook `registerInkCacheBounds` installs: it runs on the loader thread and passes every loaded source
through `boundInkCaches`.
*/
import {boundInkCaches} from './ink-cache-bounds.js';

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
	const bounded = boundInkCaches(url, source);
	return bounded === source ? result : {...result, source: bounded};
}
