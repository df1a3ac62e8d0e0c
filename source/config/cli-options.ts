/**
Turns what meow parsed into one validated options value. Pure: the environment comes in as a value, and every bad
flag becomes a one-line error that names the flag, what it got and what it takes.
*/

import {parseSpeed} from '../record/replay-clock.js';
import {parseHeaderFlag} from '../scrape/header-flag.js';

/** Flags as meow gives them; numbers arrive as strings so the error can quote what the user typed. */
export type RawFlags = {
	readonly interval?: string;
	readonly timeout?: string;
	readonly maxBytes?: string;
	readonly apiKey?: string;
	readonly header: readonly string[];
	readonly insecure: boolean;
	readonly format?: string;
	readonly once: boolean;
	readonly json: boolean;
	readonly plain: boolean;
	readonly window?: string;
	readonly threshold: readonly string[];
	readonly config?: string;
	readonly maxNumSeqs?: string;
	readonly demo: boolean;
	readonly scenario?: string;
	readonly seed?: string;
	readonly timeScale?: string;
	readonly port?: string;
	readonly host?: string;
	readonly legacyV0: boolean;
	readonly profiler: boolean;
	readonly profilerStop?: string;
	readonly color: boolean;
	readonly ascii: boolean;
	readonly readOnly: boolean;
	readonly profileDuration?: string;
	readonly duration?: string;
	readonly record?: string;
	readonly replay?: string;
	readonly speed?: string;
	readonly at?: string;
	readonly targets?: string;
	readonly prometheus?: string;
	readonly match?: string;
	readonly prometheusUser?: string;
	readonly prometheusPassword?: string;
	readonly prometheusToken?: string;
	readonly engines?: string;
};

export type Command = 'monitor' | 'samples' | 'simulate' | 'profile';

export type Output = 'tui' | 'plain' | 'json';

export type CliOptions = {
	readonly command: Command;
	/** Positional arguments after the command word (URLs, or a file for `samples`). */
	readonly inputs: readonly string[];
	readonly intervalMs: number;
	readonly timeoutMs: number;
	readonly maxBytes: number;
	readonly apiKey: string | undefined;
	readonly headers: Readonly<Record<string, string>>;
	readonly insecure: boolean;
	readonly format: 'text' | 'openmetrics' | undefined;
	readonly once: boolean;
	readonly output: Output;
	readonly windowSeconds: number;
	readonly thresholds: readonly string[];
	readonly configFile: string | undefined;
	readonly maxNumSeqs: number | undefined;
	readonly demo: boolean;
	readonly scenario: string | undefined;
	readonly seed: number;
	readonly timeScale: number;
	readonly port: number;
	readonly host: string;
	readonly legacyV0: boolean;
	readonly profiler: boolean;
	readonly profilerStopMs: number;
	/** Data-parallel engines of the simulator; undefined keeps the scenario's own. */
	readonly engines: number | undefined;
	readonly color: boolean;
	readonly ascii: boolean;
	readonly readOnly: boolean;
	readonly profileDurationMs: number | undefined;
	readonly record: string | undefined;
	readonly replay: string | undefined;
	readonly speed: number | 'max';
	readonly at: string | undefined;
	readonly targetsFile: string | undefined;
	readonly prometheus: string | undefined;
	readonly match: string | undefined;
	readonly prometheusAuth:
		| {readonly kind: 'basic'; readonly user: string; readonly password: string}
		| {readonly kind: 'bearer'; readonly token: string}
		| undefined;
};

export type Environment = Readonly<Record<string, string | undefined>>;

export type Resolved =
	| {readonly ok: true; readonly options: CliOptions}
	| {readonly ok: false; readonly error: string};

const subcommands = ['samples', 'simulate', 'profile'] as const;

function isSubcommand(
	word: string | undefined,
): word is (typeof subcommands)[number] {
	return (subcommands as readonly string[]).includes(word ?? '');
}

class FlagError extends Error {
	override name = 'FlagError';
}

function number(
	flag: string,
	raw: string | undefined,
	fallback: number,
	range: {
		readonly min: number;
		readonly max: number;
		readonly unit?: string;
		readonly integer?: boolean;
	},
): number {
	if (raw === undefined || raw === '') {
		return fallback;
	}

	const value = Number(raw);
	const unit = range.unit ? ` ${range.unit}` : '';
	if (!Number.isFinite(value) || (range.integer && !Number.isInteger(value))) {
		throw new FlagError(
			`--${flag} takes ${range.integer ? 'a whole number' : 'a number'}${unit ? ` of${unit}` : ''} from ${range.min} to ${range.max}, got '${raw}'`,
		);
	}

	if (value < range.min || value > range.max) {
		throw new FlagError(
			`--${flag} must be from ${range.min} to ${range.max}${unit}, got ${raw}`,
		);
	}

	return value;
}

function optionalNumber(
	flag: string,
	raw: string | undefined,
	range: {
		readonly min: number;
		readonly max: number;
		readonly unit?: string;
		readonly integer?: boolean;
	},
): number | undefined {
	return raw === undefined || raw === ''
		? undefined
		: number(flag, raw, 0, range);
}

/** A flag that only one mode reads is an error elsewhere, not silently ignored: `--port 8001` must not watch :8000. */
function checkModeFlags(command: Command, flags: RawFlags): void {
	const simulating =
		command === 'simulate' || (command === 'monitor' && flags.demo);
	const given = (value: string | boolean | undefined) =>
		value !== undefined && value !== false;
	const rules: ReadonlyArray<
		readonly [string, string | boolean | undefined, boolean, string]
	> = [
		[
			'--port',
			flags.port,
			command === 'simulate',
			'the simulate command (the monitor takes the port in its URL)',
		],
		[
			'--host',
			flags.host,
			command === 'simulate',
			'the simulate command (the monitor takes the host in its URL)',
		],
		[
			'--profiler',
			flags.profiler,
			command === 'simulate',
			'the simulate command (--demo always has it)',
		],
		['--engines', flags.engines, simulating, '--demo and simulate'],
		['--scenario', flags.scenario, simulating, '--demo and simulate'],
		['--seed', flags.seed, simulating, '--demo and simulate'],
		['--time-scale', flags.timeScale, simulating, '--demo and simulate'],
		['--legacy-v0', flags.legacyV0, simulating, '--demo and simulate'],
		[
			'--profiler-stop',
			flags.profilerStop,
			command === 'monitor' && flags.demo,
			'--demo',
		],
		['--speed', flags.speed, flags.replay !== undefined, '--replay'],
		['--match', flags.match, flags.prometheus !== undefined, '--prometheus'],
		[
			'--prometheus-token',
			flags.prometheusToken,
			flags.prometheus !== undefined,
			'--prometheus',
		],
		[
			'--prometheus-user',
			flags.prometheusUser,
			flags.prometheus !== undefined,
			'--prometheus',
		],
		[
			'--prometheus-password',
			flags.prometheusPassword,
			flags.prometheus !== undefined,
			'--prometheus',
		],
		[
			'--duration',
			flags.duration,
			command === 'profile',
			'the profile command (the view uses --profile-duration)',
		],
		['--record', flags.record, command === 'monitor', 'watching a server'],
		['--targets', flags.targets, command === 'monitor', 'watching servers'],
	];
	for (const [flag, value, allowed, where] of rules) {
		if (given(value) && !allowed) {
			throw new FlagError(`${flag} only applies to ${where}`);
		}
	}
}

function replaySpeed(raw: string | undefined): number | 'max' {
	if (raw === undefined || raw === '') {
		return 1;
	}

	const parsed = parseSpeed(raw);
	if (!parsed.ok) {
		throw new FlagError(parsed.error);
	}

	return parsed.speed;
}

function prometheusAuth(
	flags: RawFlags,
	env: Environment,
): CliOptions['prometheusAuth'] {
	const token = flags.prometheusToken ?? env['VLLM_TOP_PROMETHEUS_TOKEN'];
	if (flags.prometheusUser !== undefined) {
		const password =
			flags.prometheusPassword ?? env['VLLM_TOP_PROMETHEUS_PASSWORD'] ?? '';
		return {kind: 'basic', user: flags.prometheusUser, password};
	}

	return token ? {kind: 'bearer', token} : undefined;
}

export function resolveCliOptions(
	input: readonly string[],
	flags: RawFlags,
	env: Environment,
): Resolved {
	try {
		const first = input[0];
		const command: Command = isSubcommand(first) ? first : 'monitor';
		const positional = command === 'monitor' ? input : input.slice(1);
		const needsDefaultUrl =
			(command === 'monitor' || command === 'profile') &&
			positional.length === 0 &&
			!flags.demo &&
			flags.replay === undefined &&
			flags.targets === undefined &&
			flags.prometheus === undefined;
		const inputs = needsDefaultUrl
			? [env['VLLM_TOP_URL'] ?? 'http://localhost:8000']
			: positional;

		if (flags.json && flags.plain) {
			throw new FlagError('--json and --plain exclude each other: pick one');
		}

		if (
			flags.format !== undefined &&
			flags.format !== 'text' &&
			flags.format !== 'openmetrics'
		) {
			throw new FlagError(
				`--format takes text or openmetrics, got '${flags.format}'`,
			);
		}

		if (flags.demo && positional.length > 0) {
			throw new FlagError(
				'--demo runs its own server: drop the URL, or drop --demo',
			);
		}

		if (flags.replay !== undefined && (flags.demo || positional.length > 0)) {
			throw new FlagError(
				'--replay reads its targets from the recording: drop the URL and --demo',
			);
		}

		if (flags.at !== undefined && flags.replay === undefined) {
			throw new FlagError(
				'--at picks a moment of a recording: use it with --replay FILE',
			);
		}

		if (flags.record !== undefined && flags.replay !== undefined) {
			throw new FlagError('--record and --replay exclude each other');
		}

		checkModeFlags(command, flags);

		const headers: Record<string, string> = {};
		for (const raw of flags.header) {
			const header = parseHeaderFlag(raw);
			if (!header.ok) {
				throw new FlagError(header.error);
			}

			headers[header.name] = header.value;
		}

		const {once} = flags;
		const output: Output = flags.json ? 'json' : flags.plain ? 'plain' : 'tui';
		const defaultInterval = once ? 2 : 5;

		const options: CliOptions = {
			command,
			inputs,
			intervalMs:
				number('interval', flags.interval, defaultInterval, {
					min: 0.5,
					max: 60,
					unit: 'seconds',
				}) * 1000,
			timeoutMs:
				number('timeout', flags.timeout, 3, {
					min: 0.1,
					max: 120,
					unit: 'seconds',
				}) * 1000,
			maxBytes: number('max-bytes', flags.maxBytes, 16 * 1024 * 1024, {
				min: 1024,
				max: 1024 * 1024 * 1024,
				unit: 'bytes',
				integer: true,
			}),
			apiKey: flags.apiKey ?? env['VLLM_API_KEY'],
			headers,
			insecure: flags.insecure,
			format: flags.format,
			once,
			output,
			windowSeconds: number('window', flags.window, 60, {
				min: 10,
				max: 3600,
				unit: 'seconds',
			}),
			thresholds: flags.threshold,
			configFile: flags.config,
			maxNumSeqs: optionalNumber('max-num-seqs', flags.maxNumSeqs, {
				min: 1,
				max: 1_000_000,
				integer: true,
			}),
			demo: flags.demo,
			scenario: flags.scenario,
			seed: number('seed', flags.seed, 1, {
				min: 0,
				max: 2 ** 31,
				integer: true,
			}),
			timeScale: number('time-scale', flags.timeScale, 1, {
				min: 0.01,
				max: 10_000,
			}),
			port: number('port', flags.port, 8000, {
				min: 0,
				max: 65_535,
				integer: true,
			}),
			host: flags.host ?? '127.0.0.1',
			legacyV0: flags.legacyV0,
			profiler: flags.profiler,
			profilerStopMs:
				number('profiler-stop', flags.profilerStop, 3, {
					min: 0,
					max: 3600,
					unit: 'seconds',
				}) * 1000,
			engines: optionalNumber('engines', flags.engines, {
				min: 1,
				max: 16,
				integer: true,
			}),
			color: flags.color && !env['NO_COLOR'],
			ascii: flags.ascii,
			readOnly: flags.readOnly,
			profileDurationMs:
				command === 'profile'
					? number('duration', flags.duration ?? flags.profileDuration, 10, {
							min: 1,
							max: 3600,
							unit: 'seconds',
						}) * 1000
					: mapOptional(
							optionalNumber('profile-duration', flags.profileDuration, {
								min: 1,
								max: 3600,
								unit: 'seconds',
							}),
							seconds => seconds * 1000,
						),
			record: flags.record,
			replay: flags.replay,
			speed: replaySpeed(flags.speed),
			at: flags.at,
			targetsFile: flags.targets,
			prometheus: flags.prometheus,
			match: flags.match,
			prometheusAuth: prometheusAuth(flags, env),
		};
		return {ok: true, options};
	} catch (error) {
		if (error instanceof FlagError) {
			return {ok: false, error: error.message};
		}

		throw error;
	}
}

function mapOptional<T, U>(
	value: T | undefined,
	map: (value: T) => U,
): U | undefined {
	return value === undefined ? undefined : map(value);
}
