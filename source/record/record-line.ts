import type {ScrapeResult} from '../scrape/scrape-result.js';
import {encodeGpu, type RecordedGpu} from './gpu-record.js';

/**
One line of a recording (`--record FILE`): a self-contained JSON object, so any line can be read without the ones
before it and a crash costs at most the line being written.

A scrape record mirrors `ScrapeResult` field for field, so a replayed result is deep-equal to the live one:

	{"v":1,"at":1735689600000,"target":"http://h:8000/metrics","name":"h:8000","ok":true,"status":200,
	 "duration_ms":12.3,"content_type":"text/plain; version=0.0.4","body":"..."}
	{"v":1,"at":...,"target":...,"name":...,"ok":false,"kind":"timeout","status":503,"duration_ms":3000,"error":"..."}

`status` on a failure is present only when a response came back. A meta record carries what /version and /health
answered, so a replay can show them; it has `"type":"meta"` (a scrape record may say `"type":"scrape"` or leave it
out), because `kind` already names the failure kind of a scrape record:

	{"v":1,"type":"meta","at":...,"target":"http://h:8000","name":"h:8000","version":"0.11.0","health_status":200}

`version` and `health_status` are left out when unknown; `health_error` says why /health could not be read.
A GPU record (`"type":"gpu"`) holds one poll of the GPUs under the targets: see `gpu-record.ts`. Reading a line
back is `decode-record.ts`.
*/

export const recordVersion = 1;

/** What the server said about itself at a moment, besides its metrics page. */
export type ServerMeta = {
	/** Epoch ms. */
	readonly at: number;
	readonly url: string;
	/** From /version. */
	readonly version?: string;
	/** HTTP status of /health (200 means healthy). */
	readonly healthStatus?: number;
	/** One line saying why /health could not be read. */
	readonly healthError?: string;
};

export type RecordedScrape = {
	readonly type: 'scrape';
	/** The target's display name when it was recorded. */
	readonly name: string;
	readonly result: ScrapeResult;
};

export type RecordedMeta = {
	readonly type: 'meta';
	readonly name: string;
	readonly meta: ServerMeta;
};

export type RecordedEntry = RecordedScrape | RecordedMeta | RecordedGpu;

/** The recorded time of an entry, which drives the replay clock. */
export function entryAt(entry: RecordedEntry): number {
	switch (entry.type) {
		case 'scrape': {
			return entry.result.at;
		}

		case 'meta': {
			return entry.meta.at;
		}

		case 'gpu': {
			return entry.at;
		}
	}
}

/** One line without its newline. */
export function encodeRecord(result: ScrapeResult, name: string): string {
	if (result.ok) {
		return JSON.stringify({
			v: recordVersion,
			at: result.at,
			target: result.url,
			name,
			ok: true,
			status: result.status,
			duration_ms: result.durationMs,
			content_type: result.contentType,
			body: result.body,
		});
	}

	return JSON.stringify({
		v: recordVersion,
		at: result.at,
		target: result.url,
		name,
		ok: false,
		kind: result.kind,
		status: result.status,
		duration_ms: result.durationMs,
		error: result.message,
	});
}

/** One line without its newline. */
export function encodeMeta(meta: ServerMeta, name: string): string {
	return JSON.stringify({
		v: recordVersion,
		type: 'meta',
		at: meta.at,
		target: meta.url,
		name,
		version: meta.version,
		health_status: meta.healthStatus,
		health_error: meta.healthError,
	});
}

/** Any entry as its line, without the newline. */
export function encodeEntry(entry: RecordedEntry): string {
	switch (entry.type) {
		case 'scrape': {
			return encodeRecord(entry.result, entry.name);
		}

		case 'meta': {
			return encodeMeta(entry.meta, entry.name);
		}

		case 'gpu': {
			return encodeGpu(entry, recordVersion);
		}
	}
}
