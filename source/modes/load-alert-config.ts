/**
Reads `--config` (if any) and applies `--threshold` and `--max-num-seqs` on top, with one-line errors. The file
reader, with its YAML and schema libraries, loads only when a file is given.
*/
import {readFile} from 'node:fs/promises';
import {
	buildAlertConfig,
	defaultAlertConfig,
	type AlertConfigSources,
	type ConfigResult,
} from '../alerts/alert-config.js';
import type {CliOptions} from '../config/cli-options.js';
import {errorCode} from '../format/error-code.js';

export async function loadAlertConfig(
	options: CliOptions,
): Promise<ConfigResult> {
	let configFile: AlertConfigSources['configFile'];
	if (options.configFile !== undefined) {
		let text: string;
		try {
			text = await readFile(options.configFile, 'utf8');
		} catch (error) {
			const code = errorCode(error);
			return {
				ok: false,
				error: `cannot read --config ${options.configFile} (${code}): give a readable YAML file`,
			};
		}

		const {loadAlertConfigText} =
			await import('../config/alert-config-file.js');
		configFile = {
			path: options.configFile,
			loaded: loadAlertConfigText(text, defaultAlertConfig),
		};
	}

	return buildAlertConfig({
		configFile,
		thresholdFlags: options.thresholds,
		maxNumSeqs: options.maxNumSeqs,
		maxNumBatchedTokens: options.maxNumBatchedTokens,
	});
}
