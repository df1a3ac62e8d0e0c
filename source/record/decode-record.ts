/**
Reading a recording line back (`record-line.ts` writes it): every field checked, so a damaged or foreign line is
refused with the field at fault instead of replaying as something the live view never showed.
*/
import type {ScrapeFailureKind} from '../scrape/scrape-result.js';
import {decodeGpu} from './decode-gpu-record.js';
import {
	recordVersion,
	type RecordedEntry,
	type RecordedMeta,
	type RecordedScrape,
} from './record-line.js';

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
