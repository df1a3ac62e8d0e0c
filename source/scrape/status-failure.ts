/**
A non-2xx answer as a failure. Apart from the scrape client so the profiler can use it without loading the transport
(undici) before the first frame: the client is created lazily on the first scrape.
*/
import type {Dispatcher} from 'undici';
import {describeStatus} from './describe-failure.js';
import type {Failed} from './http-transport.js';
import {headerValue, readBody} from './read-body.js';

/** Enough of an error body for a one-line message; a longer one is cut off (too-large) and left out. */
const errorBodyLimit = 1024;

/** A non-2xx answer as a failure that keeps the start of its body, so the server's own words can be shown. */
export async function statusFailure(
	url: string,
	response: Dispatcher.ResponseData,
): Promise<Failed & {readonly body?: string}> {
	const {statusCode, headers, body} = response;
	const read = await readBody(body, headers, url, errorBodyLimit).catch(
		() => undefined,
	);
	return {
		ok: false as const,
		...(read?.ok ? {body: read.bytes.toString('utf8')} : {}),
		...describeStatus(url, statusCode, headerValue(headers, 'content-type')),
	};
}
