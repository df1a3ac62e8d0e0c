import type {AnyFlags} from 'meow';
import {parseHeaderFlag} from '../scrape/header-flag.js';
import type {Endpoint} from './bench-request.js';
import type {Goodput} from './bench-result.js';

/**
The `bench` command's flags and their validation. Pure: what meow parsed and the environment in, one options value
or a one-line error naming the flag out.
*/

export const benchFlagSpecs = {
	endpoint: {type: 'string'},
	model: {type: 'string'},
	apiKey: {type: 'string'},
	header: {type: 'string', isMultiple: true, default: []},
	numPrompts: {type: 'string', shortFlag: 'n'},
	duration: {type: 'string'},
	maxConcurrency: {type: 'string'},
	dataset: {type: 'string'},
	datasetPath: {type: 'string'},
	inputLen: {type: 'string'},
	outputLen: {type: 'string'},
	rangeRatio: {type: 'string'},
	prefixLen: {type: 'string'},
	seed: {type: 'string'},
	requestRate: {type: 'string'},
	burstiness: {type: 'string'},
	sweep: {type: 'boolean', default: false},
	sweepSteps: {type: 'string'},
	percentiles: {type: 'string'},
	goodput: {type: 'string', isMultiple: true, default: []},
	minGoodput: {type: 'string'},
	saveResult: {type: 'string'},
	saveDetailed: {type: 'boolean', default: false},
	json: {type: 'boolean', default: false},
	plain: {type: 'boolean', default: false},
	timeout: {type: 'string'},
	drainTimeout: {type: 'string'},
	color: {type: 'boolean', default: true},
	ascii: {type: 'boolean', default: false},
} satisfies AnyFlags;

export type BenchRawFlags = {
	readonly [
		K in keyof typeof benchFlagSpecs
	]?: (typeof benchFlagSpecs)[K] extends {
		isMultiple: true;
	}
		? readonly string[]
		: (typeof benchFlagSpecs)[K] extends {type: 'boolean'}
			? boolean
			: string;
};

export type MinGoodput =
	| {readonly kind: 'rate'; readonly value: number}
	| {readonly kind: 'share'; readonly value: number};

export type BenchOptions = {
	readonly url: string;
	readonly endpoint: Endpoint;
	readonly model: string | undefined;
	readonly headers: Readonly<Record<string, string>>;
	readonly numPrompts: number | undefined;
	readonly durationS: number | undefined;
	readonly maxConcurrency: number | undefined;
	readonly dataset: 'random' | 'sharegpt';
	readonly datasetPath: string | undefined;
	readonly inputLen: number;
	readonly outputLen: number;
	readonly rangeRatio: number;
	readonly prefixLen: number;
	readonly seed: number;
	readonly requestRate: number;
	readonly burstiness: number;
	readonly sweep: boolean;
	readonly sweepSteps: number;
	readonly percentiles: readonly number[];
	readonly goodput: Goodput | undefined;
	readonly minGoodput: MinGoodput;
	readonly saveResult: string | undefined;
	readonly saveDetailed: boolean;
	readonly output: 'tui' | 'plain' | 'json';
	readonly timeoutMs: number;
	readonly drainTimeoutMs: number;
	readonly color: boolean;
	readonly ascii: boolean;
};

export type BenchResolved =
	| {readonly ok: true; readonly options: BenchOptions}
	| {readonly ok: false; readonly error: string};

class FlagError extends Error {
	override name = 'FlagError';
}

function numberFlag(
	flag: string,
	raw: string | undefined,
	fallback: number,
	range: {min: number; max: number; integer?: boolean; infinite?: boolean},
): number {
	if (raw === undefined || raw === '') {
		return fallback;
	}

	if (range.infinite && raw === 'inf') {
		return Number.POSITIVE_INFINITY;
	}

	const value = Number(raw);
	const kind = range.integer ? 'a whole number' : 'a number';
	const inf = range.infinite ? ' or inf' : '';
	if (
		!Number.isFinite(value) ||
		(range.integer === true && !Number.isInteger(value)) ||
		value < range.min ||
		value > range.max
	) {
		throw new FlagError(
			`--${flag} takes ${kind} from ${range.min} to ${range.max}${inf}, got '${raw}'`,
		);
	}

	return value;
}

function optionalNumber(
	flag: string,
	raw: string | undefined,
	range: {min: number; max: number; integer?: boolean},
): number | undefined {
	return raw === undefined ? undefined : numberFlag(flag, raw, 0, range);
}

const goodputTerm = /^(ttft|tpot|e2el):(\d+(?:\.\d+)?)$/;

/** `ttft:500 tpot:50` (ms), from repeated flags or one flag with spaces or commas; words like vLLM's --goodput. */
export function parseGoodput(terms: readonly string[]): Goodput | undefined {
	const words = terms.flatMap(term => term.split(/[\s,]+/)).filter(Boolean);
	if (words.length === 0) {
		return undefined;
	}

	const slo: Record<string, number> = {};
	for (const word of words) {
		const match = goodputTerm.exec(word);
		if (!match) {
			throw new FlagError(
				`--goodput takes METRIC:MS terms (ttft, tpot, e2el), e.g. --goodput 'ttft:500 tpot:50', got '${word}'`,
			);
		}

		slo[match[1]!] = Number(match[2]);
	}

	return slo;
}

function parseMinGoodput(raw: string | undefined): MinGoodput {
	if (raw === undefined) {
		return {kind: 'share', value: 0.95};
	}

	if (raw.endsWith('%')) {
		return {
			kind: 'share',
			value:
				numberFlag('min-goodput', raw.slice(0, -1), 0, {min: 0, max: 100}) /
				100,
		};
	}

	return {
		kind: 'rate',
		value: numberFlag('min-goodput', raw, 0, {min: 0, max: 1e6}),
	};
}

function parsePercentiles(raw: string | undefined): number[] {
	if (raw === undefined) {
		return [99];
	}

	return raw
		.split(',')
		.map(part => numberFlag('percentiles', part.trim(), 0, {min: 0, max: 100}));
}

function headersOf(
	flags: BenchRawFlags,
	env: Readonly<Record<string, string | undefined>>,
) {
	const headers: Record<string, string> = {};
	const key = flags.apiKey ?? env['VLLM_API_KEY'];
	if (key) {
		headers['authorization'] = `Bearer ${key}`;
	}

	for (const raw of flags.header ?? []) {
		const header = parseHeaderFlag(raw);
		if (!header.ok) {
			throw new FlagError(header.error);
		}

		headers[header.name.toLowerCase()] = header.value;
	}

	return headers;
}

function baseUrl(input: string): string {
	const withScheme = /^https?:\/\//.test(input) ? input : `http://${input}`;
	try {
		const url = new URL(withScheme);
		return url.origin + url.pathname.replace(/\/(v1\/?)?$/, '');
	} catch {
		throw new FlagError(
			`'${input}' is not a server URL; use e.g. http://localhost:8000`,
		);
	}
}

function checkCombinations(
	flags: BenchRawFlags,
	positional: readonly string[],
): void {
	if (flags.json && flags.plain) {
		throw new FlagError('--json and --plain exclude each other: pick one');
	}

	if (positional.length > 1) {
		throw new FlagError(
			`bench takes one server URL, got ${positional.join(' ')}`,
		);
	}

	const dataset = flags.dataset ?? 'random';
	if (dataset !== 'random' && dataset !== 'sharegpt') {
		throw new FlagError(`--dataset takes random or sharegpt, got '${dataset}'`);
	}

	if (dataset === 'sharegpt' && flags.datasetPath === undefined) {
		throw new FlagError(
			'--dataset sharegpt needs the JSON file: --dataset-path FILE',
		);
	}

	if (
		flags.endpoint !== undefined &&
		flags.endpoint !== 'completions' &&
		flags.endpoint !== 'chat'
	) {
		throw new FlagError(
			`--endpoint takes completions or chat, got '${flags.endpoint}'`,
		);
	}
}

export function resolveBenchOptions(
	input: readonly string[],
	flags: BenchRawFlags,
	env: Readonly<Record<string, string | undefined>>,
): BenchResolved {
	try {
		// Goodput terms after the first one may arrive as separate words, as vLLM's flag takes them.
		const positional = input.filter(word => !goodputTerm.test(word));
		const extraGoodput = input.filter(word => goodputTerm.test(word));
		checkCombinations(flags, positional);
		const numPrompts = optionalNumber('num-prompts', flags.numPrompts, {
			min: 1,
			max: 10_000_000,
			integer: true,
		});
		const durationS = optionalNumber('duration', flags.duration, {
			min: 0.1,
			max: 7 * 24 * 3600,
		});
		const goodput = parseGoodput([...(flags.goodput ?? []), ...extraGoodput]);
		const options: BenchOptions = {
			url: baseUrl(
				positional[0] ?? env['VLLM_TOP_URL'] ?? 'http://localhost:8000',
			),
			endpoint: flags.endpoint === 'chat' ? 'chat' : 'completions',
			model: flags.model,
			headers: headersOf(flags, env),
			numPrompts: numPrompts ?? (durationS === undefined ? 1000 : undefined),
			durationS,
			maxConcurrency: optionalNumber('max-concurrency', flags.maxConcurrency, {
				min: 1,
				max: 100_000,
				integer: true,
			}),
			dataset: flags.dataset === 'sharegpt' ? 'sharegpt' : 'random',
			datasetPath: flags.datasetPath,
			inputLen: numberFlag('input-len', flags.inputLen, 1024, {
				min: 1,
				max: 10_000_000,
				integer: true,
			}),
			outputLen: numberFlag('output-len', flags.outputLen, 128, {
				min: 1,
				max: 10_000_000,
				integer: true,
			}),
			rangeRatio: numberFlag('range-ratio', flags.rangeRatio, 0, {
				min: 0,
				max: 0.99,
			}),
			prefixLen: numberFlag('prefix-len', flags.prefixLen, 0, {
				min: 0,
				max: 10_000_000,
				integer: true,
			}),
			seed: numberFlag('seed', flags.seed, 0, {
				min: 0,
				max: 2 ** 31,
				integer: true,
			}),
			requestRate: numberFlag(
				'request-rate',
				flags.requestRate,
				Number.POSITIVE_INFINITY,
				{min: 0.001, max: 1e6, infinite: true},
			),
			burstiness: numberFlag('burstiness', flags.burstiness, 1, {
				min: 0.01,
				max: 1000,
			}),
			sweep: flags.sweep ?? false,
			sweepSteps: numberFlag('sweep-steps', flags.sweepSteps, 6, {
				min: 3,
				max: 20,
				integer: true,
			}),
			percentiles: parsePercentiles(flags.percentiles),
			goodput,
			minGoodput: parseMinGoodput(flags.minGoodput),
			saveResult: flags.saveResult,
			saveDetailed: flags.saveDetailed ?? false,
			output: flags.json ? 'json' : flags.plain ? 'plain' : 'tui',
			timeoutMs:
				numberFlag('timeout', flags.timeout, 600, {min: 0.1, max: 86_400}) *
				1000,
			drainTimeoutMs:
				numberFlag('drain-timeout', flags.drainTimeout, 10, {
					min: 0,
					max: 3600,
				}) * 1000,
			color: (flags.color ?? true) && !env['NO_COLOR'],
			ascii: flags.ascii ?? false,
		};
		if (options.minGoodput && flags.minGoodput !== undefined && !goodput) {
			throw new FlagError(
				'--min-goodput needs --goodput with the SLOs, e.g. --goodput ttft:500',
			);
		}

		return {ok: true, options};
	} catch (error) {
		if (error instanceof FlagError) {
			return {ok: false, error: error.message};
		}

		throw error;
	}
}
