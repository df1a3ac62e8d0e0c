/**
Reads `--config` (if any) and applies `--threshold` and `--max-num-seqs` on top, with one-line errors.
*/
import {readFile} from 'node:fs/promises';
import {buildAlertConfig, type ConfigResult} from '../config/alert-config.js';
import type {CliOptions} from '../config/cli-options.js';
import {errorCode} from './error-code.js';

export async function loadAlertConfig(
	options: CliOptions,
): Promise<ConfigResult> {
	let configText: string | undefined;
	if (options.configFile !== undefined) {
		try {
			configText = await readFile(options.configFile, 'utf8');
		} catch (error) {
			const code = errorCode(error);
			return {
				ok: false,
				error: `cannot read --config ${options.configFile} (${code}): give a readable YAML file`,
			};
		}
	}

	return buildAlertConfig({
		configText,
		configPath: options.configFile,
		thresholdFlags: options.thresholds,
		maxNumSeqs: options.maxNumSeqs,
	});
}
