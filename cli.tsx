#!/usr/bin/env node
import process from 'node:process';
import meow from 'meow';
import {type RawFlags, resolveCliOptions} from './source/config/cli-options.js';
import {kebabCase} from './source/config/flag-row.js';
import {helpText} from './source/config/help-text.js';
import {meowSpec} from './source/config/meow-spec.js';
import {ownPackage, versionLine} from './source/runtime/build-info.js';

// `bench` is a load generator with flags of its own: it parses and runs apart from the monitor's modes.
if (process.argv[2] === 'bench') {
	const {runBenchCli} = await import('./source/bench/bench-cli.js');
	process.exit(await runBenchCli(process.argv.slice(3)));
}

const flagSpecs = meowSpec();

const manifest = ownPackage();
const cli = meow(helpText(), {
	importMeta: import.meta,
	pkg: manifest,
	version: versionLine(manifest.version),
	// Checked below, so an unknown flag gets the same one-line error as every other bad flag.
	allowUnknownFlags: true,
	flags: flagSpecs,
});

const unknown = Object.keys(cli.flags).filter(name => !(name in flagSpecs));
if (unknown.length > 0) {
	const flag = kebabCase(unknown[0]!);
	process.stderr.write(
		`vllm-top: unknown flag --${flag} (see vllm-top --help)\n`,
	);
	process.exit(2);
}

const resolved = resolveCliOptions(
	cli.input,
	// Shaped by `meowSpec`, one entry per row of the flag table.
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
	cli.flags as unknown as RawFlags,
	process.env,
);
if (!resolved.ok) {
	process.stderr.write(`vllm-top: ${resolved.error} (see vllm-top --help)\n`);
	process.exit(2);
}

// React's development build checks and warns on every render: a monitor that runs for hours wants the production one.
process.env['NODE_ENV'] ??= 'production';

// Each mode is loaded on demand, so modes that draw nothing never load ink or React.
const {runCommand} = await import('./source/modes/run-command.js');
process.exitCode = await runCommand(resolved.options);
