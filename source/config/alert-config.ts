/**
Alert thresholds: defaults, `--threshold id.key=value` flags and the YAML `--config` file. Pure: the caller reads the
file and passes its text. Every bad input becomes one line naming the path, what was wrong and what is accepted.

YAML shape (every part optional):

	max_num_seqs: 256            # the server's --max-num-seqs, for the `saturated` rule
	resolved_for: 60             # seconds a resolved alert stays listed (30s, 2m also work)
	disabled: [deprecated_names] # rule ids that never fire
	thresholds:
	  kv_cache_pressure: {value: 0.9, clear: 0.85, for: 5m}
	  ttft_p95_high: {value: 800}  # clear follows: 640, same ratio as the defaults
*/
import {parseDocument} from 'yaml';
import {z} from 'zod';
import {
	isRuleId,
	keyUnit,
	ruleDefaults,
	ruleDirection,
	ruleIds,
	ruleKeys,
	type RuleId,
	type Thresholds,
} from '../alerts/rule-defaults.js';

export type AlertConfig = {
	readonly thresholds: Thresholds;
	/** The server's `--max-num-seqs` (per engine); null: learn it from the running plateau. */
	readonly maxNumSeqs: number | null;
	readonly disabled: readonly RuleId[];
	/** Seconds a resolved alert stays listed before it is dropped. */
	readonly resolvedFor: number;
};

export type ThresholdOverride = {
	readonly id: RuleId;
	readonly key: string;
	readonly value: number;
};

export type ConfigResult =
	| {readonly ok: true; readonly config: AlertConfig}
	| {readonly ok: false; readonly error: string};

export const defaultAlertConfig: AlertConfig = {
	thresholds: ruleDefaults,
	maxNumSeqs: null,
	disabled: [],
	resolvedFor: 60,
};

/** A plain decimal number, so `0x10`, `1e3` and `Infinity` are not taken for thresholds. */
function decimal(text: string): number | undefined {
	const trimmed = text.trim();
	const digits = trimmed.replace('.', '');
	const isDecimal =
		digits.length > 0 &&
		trimmed.indexOf('.') === trimmed.lastIndexOf('.') &&
		[...digits].every(character => character >= '0' && character <= '9');
	return isDecimal ? Number(trimmed) : undefined;
}

/** A number followed by one of the units, each with its factor; longer units first so `ms` is not read as `s`. */
function withUnit(
	text: string,
	factors: ReadonlyArray<readonly [string, number]>,
): number | undefined {
	const trimmed = text.trim();
	for (const [unit, factor] of factors) {
		if (trimmed.endsWith(unit)) {
			const number = decimal(trimmed.slice(0, -unit.length));
			// toPrecision drops binary noise: 95% is 0.95, not 0.9500000000000001.
			return number === undefined
				? undefined
				: Number((number * factor).toPrecision(12));
		}
	}

	return decimal(trimmed);
}

const secondsUnits = [
	['ms', 0.001],
	['s', 1],
	['m', 60],
	['h', 3600],
] as const;

/** Seconds from `90`, `90s`, `5m`, `1h`. */
function parseDuration(raw: string | number): number | undefined {
	return typeof raw === 'number' ? raw : withUnit(raw, secondsUnits);
}

type ValueResult =
	| {readonly ok: true; readonly value: number}
	| {readonly ok: false; readonly error: string};

const unitWords = {
	ms: 'milliseconds (e.g. 500, 500ms or 0.5s)',
	fraction: 'a fraction 0..1 (e.g. 0.9 or 90%)',
	seconds: 'seconds (e.g. 60, 90s or 5m)',
	count: 'a count >= 0',
	per_second: 'a rate per second >= 0',
} as const;

/** Converts one threshold value to the rule's unit; `name` is how the error refers to it. */
export function parseThresholdValue(
	id: RuleId,
	key: string,
	raw: string | number,
	name = `${id}.${key}`,
): ValueResult {
	const unit = keyUnit(id, key);
	if (unit === undefined) {
		return {
			ok: false,
			error: `${name}: unknown key "${key}"; valid keys for ${id}: ${ruleKeys(id).join(', ')}`,
		};
	}

	const text = typeof raw === 'number' ? String(raw) : raw.trim();
	let value: number | undefined;
	if (unit === 'seconds') {
		value = parseDuration(raw);
	} else if (unit === 'ms') {
		value =
			typeof raw === 'number'
				? raw
				: withUnit(text, [
						['ms', 1],
						['s', 1000],
					]);
	} else if (typeof raw === 'number') {
		value = raw;
	} else if (unit === 'fraction') {
		value = withUnit(text, [['%', 0.01]]);
	} else {
		value = decimal(text);
	}

	if (
		value === undefined ||
		text === '' ||
		!Number.isFinite(value) ||
		value < 0
	) {
		return {
			ok: false,
			error: `${name}: "${text}" is not valid; expected ${unitWords[unit]}`,
		};
	}

	if (unit === 'fraction' && value > 1) {
		return {
			ok: false,
			error: `${name}: ${text} is above 1; expected ${unitWords[unit]}`,
		};
	}

	return {ok: true, value};
}

export type ThresholdFlagResult =
	| {
			readonly ok: true;
			readonly id: RuleId;
			readonly key: string;
			readonly value: number;
	  }
	| {readonly ok: false; readonly error: string};

/** `--threshold id.key=value`, e.g. `kv_cache_pressure.value=0.95` or `queue_backlog.for=2m`. */
export function parseThresholdFlag(flag: string): ThresholdFlagResult {
	const equals = flag.indexOf('=');
	const name = equals === -1 ? '' : flag.slice(0, equals).trim();
	const dot = name.indexOf('.');
	if (equals === -1 || dot <= 0 || dot === name.length - 1) {
		return {
			ok: false,
			error: `--threshold "${flag}": expected id.key=value, e.g. kv_cache_pressure.value=0.95`,
		};
	}

	const id = name.slice(0, dot);
	const key = name.slice(dot + 1);
	const raw = flag.slice(equals + 1);
	if (!isRuleId(id)) {
		return {
			ok: false,
			error: `--threshold "${flag}": unknown alert id "${id}"; valid ids: ${ruleIds.join(', ')}`,
		};
	}

	const parsed = parseThresholdValue(id, key, raw, `--threshold "${flag}"`);
	return parsed.ok ? {ok: true, id, key, value: parsed.value} : parsed;
}

/** The hysteresis must open the right way, or an alert would clear while it still fires. */
export function checkAlertConfig(config: AlertConfig): string | undefined {
	for (const id of ruleIds) {
		const direction = ruleDirection[id];
		const settings = config.thresholds[id] as Readonly<Record<string, number>>;
		const {value, clear} = settings;
		if (direction === undefined || value === undefined || clear === undefined) {
			continue;
		}

		if (direction === 'above' && clear > value) {
			return `${id}: clear (${clear}) is above value (${value}); clear is where the alert stops, so set it at or below value`;
		}

		if (direction === 'below' && clear < value) {
			return `${id}: clear (${clear}) is below value (${value}); this rule fires under value, so set clear at or above it`;
		}
	}

	return undefined;
}

/**
Applies overrides in order. An override of `value` without one of `clear` moves `clear` along, keeping the current
ratio between them, so `--threshold ttft_p95_high.value=800` stays consistent on its own.
*/
export function applyThresholds(
	config: AlertConfig,
	overrides: readonly ThresholdOverride[],
): ConfigResult {
	const next: Record<string, Record<string, number>> = {};
	for (const id of ruleIds) {
		next[id] = {...config.thresholds[id]};
	}

	for (const {id, key, value} of overrides) {
		if (keyUnit(id, key) === undefined) {
			return {
				ok: false,
				error: `${id}.${key}: unknown key "${key}"; valid keys for ${id}: ${ruleKeys(id).join(', ')}`,
			};
		}

		const settings = next[id] ?? {};
		const setsClear = overrides.some(
			other => other.id === id && other.key === 'clear',
		);
		const currentValue = settings['value'];
		const currentClear = settings['clear'];
		if (
			key === 'value' &&
			!setsClear &&
			currentValue !== undefined &&
			currentClear !== undefined
		) {
			settings['clear'] =
				currentValue === 0 ? value : value * (currentClear / currentValue);
		}

		settings[key] = value;
	}

	const result: AlertConfig = {
		...config,
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- built from a copy of every rule, keys checked above
		thresholds: next as unknown as Thresholds,
	};
	const problem = checkAlertConfig(result);
	return problem === undefined
		? {ok: true, config: result}
		: {ok: false, error: problem};
}

const rawValue = z.union([z.number(), z.string()]);

const thresholdsSchema = z.strictObject(
	Object.fromEntries(
		ruleIds.map(id => [
			id,
			z
				.strictObject(
					Object.fromEntries(
						ruleKeys(id).map(key => [key, rawValue.optional()]),
					),
				)
				.optional(),
		]),
	),
);

const fileSchema = z.strictObject({
	thresholds: thresholdsSchema.optional(),
	max_num_seqs: z.number().int().positive().nullable().optional(),
	disabled: z.array(z.string()).optional(),
	resolved_for: rawValue.optional(),
});

const topLevelKeys = Object.keys(fileSchema.shape);

function describe(value: unknown): string {
	if (value === null || value === undefined) {
		return 'nothing';
	}

	if (Array.isArray(value)) {
		return 'a list';
	}

	return typeof value === 'object'
		? 'a mapping'
		: `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
	let current = data;
	for (const part of path) {
		if (current === null || typeof current !== 'object') {
			return undefined;
		}

		current = Reflect.get(current, part) as unknown;
	}

	return current;
}

/** One line for the first problem zod found, phrased for someone editing the YAML. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
	const path = issue.path.map(String);
	const where = path.length === 0 ? 'config' : path.join('.');
	if (issue.code === 'unrecognized_keys') {
		const key = issue.keys[0] ?? '';
		if (path.length === 0) {
			return `config: unknown key "${key}"; valid keys: ${topLevelKeys.join(', ')}`;
		}

		if (path.length === 1 && path[0] === 'thresholds') {
			return `thresholds: unknown alert id "${key}"; valid ids: ${ruleIds.join(', ')}`;
		}

		const id = path[1] ?? '';
		const keys = isRuleId(id) ? ruleKeys(id).join(', ') : '';
		return `${where}: unknown key "${key}"; valid keys for ${id}: ${keys}`;
	}

	if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
		const got = describe(valueAt(data, issue.path));
		if (path[0] === 'thresholds' && path.length <= 2) {
			return `${where}: expected a mapping like {value: 1, for: 60}, got ${got}`;
		}

		if (path[0] === 'max_num_seqs') {
			return `${where}: expected a whole number >= 1 (the server's --max-num-seqs), got ${got}`;
		}

		if (path[0] === 'disabled') {
			return `${where}: expected a list of alert ids, e.g. [deprecated_names], got ${got}`;
		}

		return `${where}: expected a number, got ${got}`;
	}

	return `${where}: ${issue.message}`;
}

function yamlError(
	text: string,
): {readonly error: string} | {readonly data: unknown} {
	const document = parseDocument(text, {uniqueKeys: true});
	const first = document.errors[0];
	if (first) {
		const line = first.linePos?.[0].line;
		const message = first.message.split('\n')[0] ?? first.message;
		return {
			error: `config is not valid YAML${line === undefined ? '' : ` (line ${line})`}: ${message}`,
		};
	}

	return {data: document.toJS() as unknown};
}

/** Reads the YAML text of a `--config` file on top of `base`. */
export function loadAlertConfigText(
	yamlText: string,
	base: AlertConfig,
): ConfigResult {
	const parsed = yamlError(yamlText);
	if ('error' in parsed) {
		return {ok: false, error: parsed.error};
	}

	const data = parsed.data ?? {};
	const checked = fileSchema.safeParse(data);
	if (!checked.success) {
		const issue = checked.error.issues[0];
		return {
			ok: false,
			error: issue
				? describeIssue(issue, data)
				: 'config: not a valid alert config',
		};
	}

	const file = checked.data;
	const overrides: ThresholdOverride[] = [];
	for (const [id, settings] of Object.entries(file.thresholds ?? {})) {
		if (!isRuleId(id) || settings === undefined) {
			continue;
		}

		for (const [key, raw] of Object.entries(settings)) {
			if (raw === undefined) {
				continue;
			}

			const value = parseThresholdValue(
				id,
				key,
				raw,
				`thresholds.${id}.${key}`,
			);
			if (!value.ok) {
				return value;
			}

			overrides.push({id, key, value: value.value});
		}
	}

	const disabled: RuleId[] = [...base.disabled];
	for (const [index, id] of (file.disabled ?? []).entries()) {
		if (!isRuleId(id)) {
			return {
				ok: false,
				error: `disabled.${index}: unknown alert id "${id}"; valid ids: ${ruleIds.join(', ')}`,
			};
		}

		if (!disabled.includes(id)) {
			disabled.push(id);
		}
	}

	let {resolvedFor} = base;
	if (file.resolved_for !== undefined) {
		const seconds = parseDuration(file.resolved_for);
		if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
			return {
				ok: false,
				error: `resolved_for: "${file.resolved_for}" is not valid; expected seconds (e.g. 60, 90s or 2m)`,
			};
		}

		resolvedFor = seconds;
	}

	return applyThresholds(
		{
			...base,
			disabled,
			resolvedFor,
			maxNumSeqs:
				file.max_num_seqs === undefined ? base.maxNumSeqs : file.max_num_seqs,
		},
		overrides,
	);
}

export type AlertConfigSources = {
	/** Text of the `--config` file, if one was given. */
	readonly configText?: string;
	/** Path of that file, to name it in errors. */
	readonly configPath?: string;
	/** Every `--threshold` flag, in order. */
	readonly thresholdFlags?: readonly string[];
	/** `--max-num-seqs`; wins over the file. */
	readonly maxNumSeqs?: number;
};

/** Defaults, then the config file, then `--threshold` flags, then `--max-num-seqs`: later sources win. */
export function buildAlertConfig(sources: AlertConfigSources): ConfigResult {
	let config = defaultAlertConfig;
	if (sources.configText !== undefined) {
		const loaded = loadAlertConfigText(sources.configText, config);
		if (!loaded.ok) {
			return {
				ok: false,
				error: `${sources.configPath ?? '--config'}: ${loaded.error}`,
			};
		}

		config = loaded.config;
	}

	const overrides: ThresholdOverride[] = [];
	for (const flag of sources.thresholdFlags ?? []) {
		const parsed = parseThresholdFlag(flag);
		if (!parsed.ok) {
			return parsed;
		}

		overrides.push({id: parsed.id, key: parsed.key, value: parsed.value});
	}

	const applied = applyThresholds(config, overrides);
	if (!applied.ok) {
		return {ok: false, error: `--threshold: ${applied.error}`};
	}

	return {
		ok: true,
		config:
			sources.maxNumSeqs === undefined
				? applied.config
				: {...applied.config, maxNumSeqs: sources.maxNumSeqs},
	};
}
