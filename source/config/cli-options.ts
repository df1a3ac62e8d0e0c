/**
Turns what meow parsed into one validated options value. Pure: the environment comes in as a value, and every bad
flag becomes a one-line error that names the flag, what it got and what it takes. Each flag's own checks live in its
row of `flags.ts`; this file adds only what several flags mean together.
*/
import {
	type Command,
	type Environment,
	type FlagContext,
	FlagError,
	type FlagRow,
	kebabCase,
} from './flag-row.js';
import {flagRows, flagTable, type FlagTable} from './flags.js';

export type {Command, Environment} from './flag-row.js';

type RawOf<Row> =
	Row extends FlagRow<infer K>
		? K extends 'boolean'
			? boolean
			: K extends 'list'
				? readonly string[]
				: string | undefined
		: never;

type OptionKey<Name, Row> = Row extends {readonly option: infer Option}
	? [Exclude<Option, undefined>] extends [never]
		? Name
		: Exclude<Option, undefined> extends false
			? never
			: Exclude<Option, undefined>
	: Name;

type ValueOf<Row> = Row extends {
	readonly read: (...arguments_: any[]) => infer Value;
}
	? Value
	: never;

/** Flags as meow gives them; numbers arrive as strings so the error can quote what the user typed. */
export type RawFlags = {
	readonly [Name in keyof FlagTable]: RawOf<FlagTable[Name]>;
};

export type Output = 'tui' | 'plain' | 'json';

/** Each flag's checked value, under the name its row gives it, plus what several flags make together. */
export type CliOptions = {
	readonly [
		Name in keyof FlagTable as OptionKey<Name, FlagTable[Name]>
	]: ValueOf<FlagTable[Name]>;
} & {
	readonly command: Command;
	/** Positional arguments after the command word (URLs, or a file for `samples`). */
	readonly inputs: readonly string[];
	/** `--json` or `--plain`, else the full-screen view. */
	readonly output: Output;
	/** `--duration` for the profile command, `--profile-duration` for the view's `p` key. */
	readonly profileDurationMs: number | undefined;
	readonly prometheusAuth:
		| {readonly kind: 'basic'; readonly user: string; readonly password: string}
		| {readonly kind: 'bearer'; readonly token: string}
		| undefined;
};

export type Resolved =
	| {readonly ok: true; readonly options: CliOptions}
	| {readonly ok: false; readonly error: string};

const subcommands = ['samples', 'simulate', 'profile', 'export'] as const;

function isSubcommand(
	word: string | undefined,
): word is (typeof subcommands)[number] {
	return (subcommands as readonly string[]).includes(word ?? '');
}

/** Flags that only mean something together: each pair that cannot go together is refused before any value is read. */
function checkCombinations(flags: RawFlags, positional: readonly string[]) {
	if (flags.json && flags.plain) {
		throw new FlagError('--json and --plain exclude each other: pick one');
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
}

/** A flag that only one mode reads is an error elsewhere, not silently ignored: `--port 8001` must not watch :8000. */
function checkModes(context: FlagContext): void {
	for (const [name, row] of flagRows) {
		const value = context.flags[name];
		// A switch that is on by default is given as --no-<flag>.
		const negated = row.kind === 'boolean' && row.on === true;
		const given = negated
			? value === false
			: value !== undefined && value !== false;
		if (given && row.modes && !row.modes.when(context)) {
			throw new FlagError(
				`--${negated ? 'no-' : ''}${kebabCase(name)} only applies to ${row.modes.where}`,
			);
		}
	}
}

function readRows(context: FlagContext): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const [name, row] of flagRows) {
		// meow shaped each raw value by the same row's kind (see `meowSpec`).
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
		const raw = context.flags[name] as never;
		const value: unknown = row.read(raw, kebabCase(name), context);
		if (row.option !== false) {
			values[row.option ?? name] = value;
		}
	}

	return values;
}

function prometheusAuth(
	flags: RawFlags,
	context: FlagContext,
): CliOptions['prometheusAuth'] {
	const token = flagTable.prometheusToken.read(
		flags.prometheusToken,
		'prometheus-token',
		context,
	);
	if (flags.prometheusUser !== undefined) {
		const password =
			flagTable.prometheusPassword.read(
				flags.prometheusPassword,
				'prometheus-password',
				context,
			) ?? '';
		return {kind: 'basic', user: flags.prometheusUser, password};
	}

	return token ? {kind: 'bearer', token} : undefined;
}

function profileDurationMs(
	command: Command,
	flags: RawFlags,
	context: FlagContext,
): number | undefined {
	// The profile command takes either spelling; the view's `p` key only --profile-duration.
	return command === 'profile'
		? flagTable.duration.read(
				flags.duration ?? flags.profileDuration,
				'duration',
				context,
			)
		: flagTable.profileDuration.read(
				flags.profileDuration,
				'profile-duration',
				context,
			);
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

		checkCombinations(flags, positional);
		const context: FlagContext = {command, flags, env};
		checkModes(context);
		const fields = {
			...readRows(context),
			command,
			inputs,
			output: flags.json ? 'json' : flags.plain ? 'plain' : 'tui',
			profileDurationMs: profileDurationMs(command, flags, context),
			prometheusAuth: prometheusAuth(flags, context),
		};
		// Each field comes from the row the type maps it from, so the shapes agree by construction.
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
		return {ok: true, options: fields as CliOptions};
	} catch (error) {
		if (error instanceof FlagError) {
			return {ok: false, error: error.message};
		}

		throw error;
	}
}
