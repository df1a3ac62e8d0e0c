/**
One CLI flag as one row: how meow parses it, how `--help` shows it, which modes take it and how its raw text becomes
a checked value. The builders below make the rows of `flags.ts`; nothing else describes a flag.
*/

export type Command = 'monitor' | 'samples' | 'simulate' | 'profile' | 'export';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The headings of `--help`, in the order they print. */
export const helpGroups = [
	'Scraping',
	'Output',
	'Alerts',
	'Profiler',
	'Record and replay',
	'Simulator (--demo and simulate)',
] as const;

export type HelpGroup = (typeof helpGroups)[number];

/** What a flag's mode check and reader see: the command word, every raw flag and the environment. */
export type FlagContext = {
	readonly command: Command;
	readonly flags: Readonly<Record<string, unknown>>;
	readonly env: Environment;
};

/** A bad value: the resolver turns it into the one-line error and exit 2. */
export class FlagError extends Error {
	override name = 'FlagError';
}

export type NumberRange = {
	readonly min: number;
	readonly max: number;
	readonly unit?: string;
	readonly integer?: boolean;
};

type Kind = 'string' | 'boolean' | 'list';

type RawOf<K extends Kind> = K extends 'boolean'
	? boolean
	: K extends 'list'
		? readonly string[]
		: string | undefined;

/**
`Option` names the field of `CliOptions` the value lands in (the flag's own name when undefined); `false` means the
flag has no field of its own and the resolver combines it with others (`--json` and `--plain` make `output`).
*/
export type FlagRow<
	K extends Kind = Kind,
	Value = unknown,
	Option extends string | false | undefined = string | false | undefined,
> = {
	readonly kind: K;
	readonly alias?: string;
	/** meow's default for a boolean; `--no-<flag>` is shown when it is true. */
	readonly on?: boolean;
	/** The environment variable read when the flag is not given. */
	readonly env?: string;
	/** Placeholder after the flag in `--help`, e.g. `<s>`. */
	readonly value?: string;
	readonly group: HelpGroup;
	/** One line for `--help`; `{default}`, `{min}`, `{max}` and `{env}` are filled in from the row. */
	readonly help: string;
	readonly default?: number | string;
	readonly range?: NumberRange;
	/** Where the flag applies; given anywhere else it is an error, not silently ignored. */
	readonly modes?: {
		readonly when: (context: FlagContext) => boolean;
		/** Ends "--flag only applies to ...". */
		readonly where: string;
	};
	readonly option: Option | undefined;
	/** Checks the raw value and turns it into the option's; throws a `FlagError` naming `--name`. */
	read(raw: RawOf<K>, name: string, context: FlagContext): Value;
};

type Common<Option> = Pick<
	FlagRow,
	'alias' | 'env' | 'value' | 'group' | 'help' | 'modes'
> & {readonly option?: Option};

function withOption<Option extends string | false | undefined>(
	spec: Common<Option>,
): Common<Option> & {readonly option: Option | undefined} {
	return {...spec, option: spec.option};
}

/** Text as typed, or the row's environment variable, or undefined. */
export function textFlag<
	const Option extends string | false | undefined = undefined,
>(spec: Common<Option>): FlagRow<'string', string | undefined, Option> {
	return {
		...withOption(spec),
		kind: 'string',
		read: (raw, _name, {env}) =>
			raw ?? (spec.env === undefined ? undefined : env[spec.env]),
	};
}

/** Text with a default. */
export function textWithDefault<
	const Option extends string | false | undefined = undefined,
>(
	spec: Common<Option> & {readonly default: string},
): FlagRow<'string', string, Option> {
	return {
		...withOption(spec),
		kind: 'string',
		default: spec.default,
		read: raw => raw ?? spec.default,
	};
}

/** A switch; `on` makes it default to true, so `--no-<flag>` turns it off. */
export function switchFlag<
	const Option extends string | false | undefined = undefined,
>(
	spec: Common<Option> & {readonly on?: boolean},
): FlagRow<'boolean', boolean, Option> {
	return {...withOption(spec), kind: 'boolean', on: spec.on, read: raw => raw};
}

/** A repeatable flag: every value, in order. */
export function listFlag<
	const Option extends string | false | undefined = undefined,
>(spec: Common<Option>): FlagRow<'list', readonly string[], Option> {
	return {...withOption(spec), kind: 'list', read: raw => raw};
}

/** A repeatable flag whose values together make one option (headers make a record). */
export function parsedListFlag<
	Value,
	const Option extends string | false | undefined = undefined,
>(
	spec: Common<Option> & {
		readonly parse: (raw: readonly string[], name: string) => Value;
	},
): FlagRow<'list', Value, Option> {
	return {...withOption(spec), kind: 'list', read: spec.parse};
}

/** A custom reader for a value with its own syntax (a header, a replay speed, a format name). */
export function parsedFlag<
	Value,
	const Option extends string | false | undefined = undefined,
>(
	spec: Common<Option> & {
		readonly parse: (raw: string | undefined, name: string) => Value;
	},
): FlagRow<'string', Value, Option> {
	return {...withOption(spec), kind: 'string', read: spec.parse};
}

/**
A number in a range, times `scale` (1000 turns seconds into ms). The default may depend on the other flags (the
interval of `--once`).
*/
export function numberFlag<
	const Option extends string | false | undefined = undefined,
>(
	spec: Common<Option> & {
		readonly range: NumberRange;
		readonly default: number;
		readonly defaultFor?: (context: FlagContext) => number;
		readonly scale?: number;
	},
): FlagRow<'string', number, Option> {
	return {
		...withOption(spec),
		kind: 'string',
		default: spec.default,
		range: spec.range,
		read: (raw, name, context) =>
			checkNumber(
				name,
				raw,
				spec.defaultFor?.(context) ?? spec.default,
				spec.range,
			) * (spec.scale ?? 1),
	};
}

/** A number in a range that may be left out (undefined then), times `scale`. */
export function optionalNumberFlag<
	const Option extends string | false | undefined = undefined,
>(
	spec: Common<Option> & {
		readonly range: NumberRange;
		readonly scale?: number;
	},
): FlagRow<'string', number | undefined, Option> {
	return {
		...withOption(spec),
		kind: 'string',
		range: spec.range,
		read: (raw, name) =>
			raw === undefined || raw === ''
				? undefined
				: checkNumber(name, raw, 0, spec.range) * (spec.scale ?? 1),
	};
}

/** The raw number checked against its range; the messages quote what the user typed. */
export function checkNumber(
	name: string,
	raw: string | undefined,
	fallback: number,
	range: NumberRange,
): number {
	if (raw === undefined || raw === '') {
		return fallback;
	}

	const value = Number(raw);
	const unit = range.unit ? ` ${range.unit}` : '';
	if (!Number.isFinite(value) || (range.integer && !Number.isInteger(value))) {
		throw new FlagError(
			`--${name} takes ${range.integer ? 'a whole number' : 'a number'}${unit ? ` of${unit}` : ''} from ${range.min} to ${range.max}, got '${raw}'`,
		);
	}

	if (value < range.min || value > range.max) {
		throw new FlagError(
			`--${name} must be from ${range.min} to ${range.max}${unit}, got ${raw}`,
		);
	}

	return value;
}

/** `maxNumSeqs` is typed as `--max-num-seqs`. */
export function kebabCase(name: string): string {
	return name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}
