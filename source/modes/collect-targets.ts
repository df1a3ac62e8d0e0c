/**
The servers a live run watches: the rows of `--targets FILE`, then the URL arguments (or the default URL when nothing
else is given).
*/
import {readFile} from 'node:fs/promises';
import type {CliOptions} from '../config/cli-options.js';
import type {TargetSpec} from '../session/target-spec.js';
import {errorCode} from '../format/error-code.js';
import {buildTargets} from './build-targets.js';

export async function collectTargets(
	options: Pick<CliOptions, 'targetsFile' | 'inputs'>,
): Promise<{ok: true; targets: TargetSpec[]} | {ok: false; error: string}> {
	const fromFile: TargetSpec[] = [];
	if (options.targetsFile !== undefined) {
		let text: string;
		try {
			text = await readFile(options.targetsFile, 'utf8');
		} catch (error) {
			return {
				ok: false,
				error: `cannot read --targets ${options.targetsFile} (${errorCode(error)}): give a readable YAML file`,
			};
		}

		// The YAML and schema libraries load only when a targets file is given.
		const {parseTargetsFile} = await import('../fleet/targets-file.js');
		const parsed = parseTargetsFile(text, options.targetsFile);
		if (!parsed.ok) {
			return parsed;
		}

		fromFile.push(...parsed.targets);
	}

	// With a targets file, URL arguments are extra targets; the default URL only stands in when nothing is given.
	const urls =
		options.targetsFile !== undefined && options.inputs.length === 0
			? []
			: options.inputs;
	const built = buildTargets(urls);
	if (!built.ok) {
		return built;
	}

	return {ok: true, targets: [...fromFile, ...built.targets]};
}
