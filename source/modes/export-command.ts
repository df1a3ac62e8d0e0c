/**
`vllm-top export prometheus-rules|promtool-tests|grafana`: writes the alert rules, their promtool tests or the
dashboard to standard output, from the rule objects, the catalog and the thresholds in force (`--config`,
`--threshold`). The Grafana builder library loads only for `grafana`.
*/
import type {CliOptions} from '../config/cli-options.js';
import {checkMatch} from '../prometheus/panel-queries.js';
import {ownPackage} from '../runtime/build-info.js';
import {loadAlertConfig} from './load-alert-config.js';
import type {ModeIo} from './mode-io.js';

const targets = ['prometheus-rules', 'promtool-tests', 'grafana'] as const;

type Target = (typeof targets)[number];

function isTarget(word: string | undefined): word is Target {
	return (targets as readonly string[]).includes(word ?? '');
}

async function render(
	target: Target,
	options: CliOptions,
	io: ModeIo,
): Promise<string | undefined> {
	const match = options.match ?? '';
	const exportOptions = {match, windowSeconds: options.windowSeconds};
	if (target === 'grafana') {
		const {dashboardJson} = await import('../export/grafana-dashboard.js');
		const config = await loadAlertConfig(options);
		if (!config.ok) {
			io.stderr.write(`vllm-top export: ${config.error}\n`);
			return undefined;
		}

		return dashboardJson(config.config, {
			...exportOptions,
			datasourceUid: options.datasourceUid,
		});
	}

	const config = await loadAlertConfig(options);
	if (!config.ok) {
		io.stderr.write(`vllm-top export: ${config.error}\n`);
		return undefined;
	}

	const {exportRules} = await import('../export/prometheus-rules.js');
	const rules = exportRules(config.config, exportOptions);
	if (target === 'prometheus-rules') {
		const {rulesFileText} = await import('../export/rules-file.js');
		return rulesFileText(rules, ownPackage().version);
	}

	const {promtoolTestsText} = await import('../export/promtool-tests.js');
	const tests = promtoolTestsText(rules, exportOptions);
	if (!tests.ok) {
		io.stderr.write(`vllm-top export: ${tests.error}\n`);
		return undefined;
	}

	return tests.text;
}

export async function runExportCommand(
	options: CliOptions,
	io: ModeIo,
): Promise<number> {
	const [target, ...rest] = options.inputs;
	if (!isTarget(target) || rest.length > 0) {
		io.stderr.write(
			`vllm-top export: say what to export: ${targets.join(', ')} (got '${options.inputs.join(' ')}')\n`,
		);
		return 2;
	}

	const badMatch = checkMatch(options.match ?? '');
	if (badMatch !== null) {
		io.stderr.write(`vllm-top export: --match ${badMatch}\n`);
		return 2;
	}

	const text = await render(target, options, io);
	if (text === undefined) {
		return 2;
	}

	io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
	return 0;
}
