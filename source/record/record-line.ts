import type {ScrapeFailureKind, ScrapeResult} from '../scrape/scrape-result.js';
import {decodeGpu, encodeGpu, type RecordedGpu} from './gpu-record.js';

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
A GPU record (`"type":"gpu"`) holds one poll of the GPUs under the targets: see `gpu-record.ts`.
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

export type DecodedLine =
	| ({readonly ok: true} & RecordedEntry)
	| {readonly ok: false; readonly error: string};

const failureKinds: ReadonlySet<string> = new Set<ScrapeFailureKind>([
	'refused',
	'timeout',
	'http-status',
	'too-large',
	'not-prometheus',
	'tls',
	'network',
]);

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

/** The largest time a JavaScript Date holds; a recorded time past it could not be shown. */
const maxDateMs = 8.64e15;
/** No scrape takes longer (its deadline is at most a minute); more is damage, not a slow server. */
const maxDurationMs = 86_400_000;

/** Never throws; the error is a short reason to put after "line N:". */
export function decodeRecord(line: string): DecodedLine {
	let parsed: unknown;
	try {
		parsed = JSON.parse(line);
	} catch {
		return {ok: false, error: 'not valid JSON (truncated?)'};
	}

	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		return {ok: false, error: 'not a JSON object'};
	}

	const fields = new Fields(new Map<string, unknown>(Object.entries(parsed)));
	const version = fields.raw('v');
	if (version === undefined) {
		return {
			ok: false,
			error: 'no record version "v" (not a vllm-top recording?)',
		};
	}

	if (version !== recordVersion) {
		return {
			ok: false,
			error: `record version ${JSON.stringify(version)} is not supported (this vllm-top reads version ${recordVersion}; a newer vllm-top wrote it?)`,
		};
	}

	const type = fields.raw('type');
	try {
		if (type === undefined || type === 'scrape') {
			return {ok: true, type: 'scrape', ...decodeScrape(fields)};
		}

		if (type === 'meta') {
			return {ok: true, type: 'meta', ...decodeMeta(fields)};
		}

		if (type === 'gpu') {
			const gpu = decodeGpu(parsed, fields.time('at'));
			return typeof gpu === 'string'
				? {ok: false, error: gpu}
				: {ok: true, ...gpu};
		}
	} catch (error) {
		if (error instanceof FieldError) {
			return {ok: false, error: error.message};
		}

		throw error;
	}

	return {
		ok: false,
		error: `unknown record type ${JSON.stringify(type)}`,
	};
}

function decodeScrape(fields: Fields): Omit<RecordedScrape, 'type'> {
	const name = fields.string('name');
	const url = fields.string('target');
	const at = fields.time('at');
	const durationMs = fields.numberIn(
		'duration_ms',
		0,
		maxDurationMs,
		'a duration in milliseconds, at most a day',
	);
	const ok = fields.raw('ok');
	if (ok === true) {
		return {
			name,
			result: {
				ok: true,
				url,
				at,
				durationMs,
				status: fields.number('status'),
				contentType: fields.string('content_type'),
				body: fields.string('body'),
			},
		};
	}

	if (ok !== false) {
		throw new FieldError('field "ok" must be true or false');
	}

	const kind = fields.string('kind');
	if (!isFailureKind(kind)) {
		throw new FieldError(`unknown failure kind ${JSON.stringify(kind)}`);
	}

	const status = fields.optionalNumber('status');
	const message = fields.string('error');
	return {
		name,
		result: {
			ok: false,
			url,
			at,
			durationMs,
			kind,
			...(status === undefined ? {} : {status}),
			message,
		},
	};
}

function decodeMeta(fields: Fields): Omit<RecordedMeta, 'type'> {
	const version = fields.optionalString('version');
	const healthStatus = fields.optionalNumber('health_status');
	const healthError = fields.optionalString('health_error');
	return {
		name: fields.string('name'),
		meta: {
			at: fields.time('at'),
			url: fields.string('target'),
			...(version === undefined ? {} : {version}),
			...(healthStatus === undefined ? {} : {healthStatus}),
			...(healthError === undefined ? {} : {healthError}),
		},
	};
}

function isFailureKind(kind: string): kind is ScrapeFailureKind {
	return failureKinds.has(kind);
}

class FieldError extends Error {
	override readonly name = 'FieldError';
}

/** Typed reads of a parsed line; a wrong or missing field throws a FieldError naming it. */
class Fields {
	private readonly values: ReadonlyMap<string, unknown>;

	constructor(values: ReadonlyMap<string, unknown>) {
		this.values = values;
	}

	raw(key: string): unknown {
		return this.values.get(key);
	}

	string(key: string): string {
		const value = this.raw(key);
		if (typeof value !== 'string') {
			throw new FieldError(this.problem(key, value, 'a string'));
		}

		return value;
	}

	number(key: string): number {
		const value = this.raw(key);
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			throw new FieldError(this.problem(key, value, 'a number'));
		}

		return value;
	}

	/** A number from `min` to `max`: times and durations a clock and a date can hold. */
	numberIn(key: string, min: number, max: number, wanted: string): number {
		const value = this.number(key);
		if (value < min || value > max) {
			throw new FieldError(`field "${key}" must be ${wanted}, got ${value}`);
		}

		return value;
	}

	/** Epoch milliseconds from 1970 to the largest time a Date holds (year 275760). */
	time(key: string): number {
		return this.numberIn(
			key,
			0,
			maxDateMs - maxDurationMs,
			'a time in epoch milliseconds',
		);
	}

	optionalString(key: string): string | undefined {
		return this.raw(key) === undefined ? undefined : this.string(key);
	}

	optionalNumber(key: string): number | undefined {
		return this.raw(key) === undefined ? undefined : this.number(key);
	}

	private problem(key: string, value: unknown, wanted: string): string {
		return value === undefined
			? `field "${key}" is missing`
			: `field "${key}" must be ${wanted}`;
	}
}
