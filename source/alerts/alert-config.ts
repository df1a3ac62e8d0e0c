/**
Alert thresholds: defaults, `--threshold id.key=value` flags and the YAML `--config` file. Pure: the caller reads the
file and passes its text. Every bad input becomes one line naming the path, what was wrong and what is accepted.

YAML shape (every part optional):

	max_num_seqs: 256            # the server's --max-num-seqs, for the `saturated` rule
	max_num_batched_tokens: 8192 # the server's --max-num-batched-tokens, for the batch fill
	resolved_for: 60             # seconds a resolved alert stays listed (30s, 2m also work)
	disabled: [deprecated_names] # rule ids that never fire
	thresholds:
	  kv_cache_pressure: {value: 0.9, clear: 0.85, for: 5m}
	  ttft_p95_high: {value: 800}  # clear follows: 640, same ratio as the defaults
*/
import {
	isRuleId,
	keyUnit,
	ruleDefaults,
	ruleDirection,
	ruleIds,
	ruleKeys,
	type RuleId,
	type Thresholds,
} from './rule-defaults.js';

export type AlertConfig = {
	readonly thresholds: Thresholds;
	/** The server's `--max-num-seqs` (per engine); null: learn it from the running plateau. */
	readonly maxNumSeqs: number | null;
	/** The server's `--max-num-batched-tokens` (per engine step); null: unknown, no batch fill is shown. */
	readonly maxNumBatchedTokens?: number | null;
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
	maxNumBatchedTokens: null,
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
export function parseDuration(raw: string | number): number | undefined {
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

export type AlertConfigSources = {
	/** The `--config` file, if one was given: its path, to name it in errors, and what reading it gave. */
	readonly configFile?: {
		readonly path: string;
		readonly loaded: ConfigResult;
	};
	/** Every `--threshold` flag, in order. */
	readonly thresholdFlags?: readonly string[];
	/** `--max-num-seqs`; wins over the file. */
	readonly maxNumSeqs?: number;
	/** `--max-num-batched-tokens`; wins over the file. */
	readonly maxNumBatchedTokens?: number;
};

/**
Defaults, then the config file (read onto the defaults by `loadAlertConfigText`), then `--threshold` flags, then
`--max-num-seqs`: later sources win.
*/
export function buildAlertConfig(sources: AlertConfigSources): ConfigResult {
	let config = defaultAlertConfig;
	if (sources.configFile !== undefined) {
		const {path, loaded} = sources.configFile;
		if (!loaded.ok) {
			return {ok: false, error: `${path}: ${loaded.error}`};
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

	const {maxNumSeqs, maxNumBatchedTokens} = sources;
	return {
		ok: true,
		config: {
			...applied.config,
			...(maxNumSeqs === undefined ? {} : {maxNumSeqs}),
			...(maxNumBatchedTokens === undefined ? {} : {maxNumBatchedTokens}),
		},
	};
}
