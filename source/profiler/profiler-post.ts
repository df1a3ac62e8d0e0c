/**
The profiler's POSTs (`/start_profile`, `/stop_profile`) over the scrape client's transport: same headers, TLS and
body cap, but an empty body, no redirects, and a deadline that may be none (a stop waits for the trace to be written).
*/
import type {ScrapeClient} from '../scrape/scrape-client.js';
import {statusFailure} from '../scrape/status-failure.js';
import type {Failed} from '../scrape/http-transport.js';
import {readBody} from '../scrape/read-body.js';

export type PostResult =
	| {readonly ok: true; readonly status: number; readonly body: string}
	| (Failed & {readonly body?: string});

export type PostOptions = {
	/** Deadline of the whole request; null waits for as long as the server takes. */
	readonly timeoutMs: number | null;
	readonly signal?: AbortSignal;
};

export async function postProfiler(
	client: ScrapeClient,
	url: string,
	options: PostOptions,
): Promise<PostResult> {
	return client.exchange<PostResult>(
		url,
		{
			method: 'POST',
			accept: '*/*',
			timeoutMs: options.timeoutMs,
			...(options.signal === undefined ? {} : {signal: options.signal}),
		},
		async response => {
			const {statusCode: status, headers, body} = response;
			if (status < 200 || status >= 300) {
				return statusFailure(url, response);
			}

			const read = await readBody(body, headers, url, client.maxBytes);
			return read.ok
				? {ok: true, status, body: read.bytes.toString('utf8')}
				: {...read, status};
		},
	);
}
