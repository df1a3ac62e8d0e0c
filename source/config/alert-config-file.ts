/**
The YAML `--config` file of alert thresholds, read onto a base config (see alert-config.ts for its shape). Apart from
alert-config.ts so that the YAML and schema libraries load only when a file is given, not on every start.
*/
import {z} from 'zod';
import {
	isRuleId,
	ruleIds,
	ruleKeys,
	type RuleId,
} from '../alerts/rule-defaults.js';
import {
	applyThresholds,
	parseDuration,
	parseThresholdValue,
	type AlertConfig,
	type ConfigResult,
	type ThresholdOverride,
} from '../alerts/alert-config.js';
import {readYaml} from './read-yaml.js';

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
	max_num_batched_tokens: z.number().int().positive().nullable().optional(),
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

	// "got 2.5", "got \"x\"", "got true": the value as it was written, not its type's name.
	return typeof value === 'object' ? 'a mapping' : JSON.stringify(value);
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
	const where =
		path.length === 0
			? 'config'
			: issue.path
					.map((part, index) =>
						typeof part === 'number'
							? `[${part}]`
							: `${index === 0 ? '' : '.'}${String(part)}`,
					)
					.join('');
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

	if (
		issue.code === 'invalid_type' ||
		issue.code === 'invalid_union' ||
		(issue.code === 'too_small' &&
			(path[0] === 'max_num_seqs' || path[0] === 'max_num_batched_tokens'))
	) {
		const got = describe(valueAt(data, issue.path));
		if (path[0] === 'thresholds' && path.length <= 2) {
			return `${where}: expected a mapping like {value: 1, for: 60}, got ${got}`;
		}

		if (path[0] === 'max_num_seqs' || path[0] === 'max_num_batched_tokens') {
			return `${where}: expected a whole number >= 1 (the server's --${path[0].replaceAll('_', '-')}), got ${got}`;
		}

		if (path[0] === 'disabled') {
			return `${where}: expected a list of alert ids, e.g. [deprecated_names], got ${got}`;
		}

		if (path[0] === 'resolved_for') {
			return `${where}: expected a duration such as 60, 90s or 2m, got ${got}`;
		}

		return `${where}: expected a number, got ${got}`;
	}

	return `${where}: ${issue.message}`;
}

/** Reads the YAML text of a `--config` file on top of `base`. */
export function loadAlertConfigText(
	yamlText: string,
	base: AlertConfig,
): ConfigResult {
	const parsed = readYaml(yamlText);
	if (!parsed.ok) {
		return {ok: false, error: `config is ${parsed.error}`};
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
			maxNumBatchedTokens:
				file.max_num_batched_tokens === undefined
					? base.maxNumBatchedTokens
					: file.max_num_batched_tokens,
		},
		overrides,
	);
}
