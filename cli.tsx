#!/usr/bin/env node
import process from 'node:process';
import {
	type RawFlags,
	type Resolved,
	resolveCliOptions,
} from './source/config/cli-options.js';
import {unsetFlags} from './source/config/meow-spec.js';

// `bench` is a load generator with flags of its own: it parses and runs apart from the monitor's modes.
if (process.argv[2] === 'bench') {
	const {runBenchCli} = await import('./source/bench/bench-cli.js');
	process.exit(await runBenchCli(process.argv.slice(3)));
}

/**
A call with no flag at all (`vllm-top URL`, `vllm-top samples FILE`, as scripts and most people run it) starts
without meow: meow reads and normalises package.json for --help and --version, which is most of the start-up. It gets
the options meow would give (a test compares).
*/
function hasNoFlag(argv: readonly string[]): boolean {
	return argv
		.slice(2)
		.every(argument => argument === '-' || !argument.startsWith('-'));
}

async function parseArgv(): Promise<Resolved> {
	const [{default: meow}, {kebabCase}, {helpText}, {meowSpec}, buildInfo] =
		await Promise.all([
			import('meow'),
			import('./source/config/flag-row.js'),
			import('./source/config/help-text.js'),
			import('./source/config/meow-spec.js'),
			import('./source/runtime/build-info.js'),
		]);
	const flagSpecs = meowSpec();
	const manifest = buildInfo.ownPackage();
	const cli = meow(helpText(), {
		importMeta: import.meta,
		pkg: manifest,
		version: buildInfo.versionLine(manifest.version),
		// Checked below, so an unknown flag gets the same one-line error as every other bad flag.
		allowUnknownFlags: true,
		flags: flagSpecs,
	});

	// Meow answers --help and --version only when they are the sole argument: `vllm-top samples --help` must too, and
	// `-h`, which most tools take for help.
	// Undeclared, either may have taken the next word as its value (`--help samples`), so any value counts.
	const asked = (flag: string) =>
		cli.flags[flag] !== undefined && cli.flags[flag] !== false;
	if (asked('help') || asked('h')) {
		cli.showHelp(0);
	}

	if (asked('version')) {
		cli.showVersion();
	}

	const unknown = Object.keys(cli.flags).filter(name => !(name in flagSpecs));
	if (unknown.length > 0) {
		const flag = kebabCase(unknown[0]!);
		process.stderr.write(
			`vllm-top: unknown flag --${flag} (see vllm-top --help)\n`,
		);
		process.exit(2);
	}

	return resolveCliOptions(
		cli.input,
		// Shaped by `meowSpec`, one entry per row of the flag table.
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
		cli.flags as unknown as RawFlags,
		process.env,
	);
}

const resolved = hasNoFlag(process.argv)
	? resolveCliOptions(process.argv.slice(2), unsetFlags(), process.env)
	: await parseArgv();
if (!resolved.ok) {
	process.stderr.write(`vllm-top: ${resolved.error} (see vllm-top --help)\n`);
	process.exit(2);
}

// React's development build checks and warns on every render: a monitor that runs for hours wants the production one.
process.env['NODE_ENV'] ??= 'production';

// Each mode is loaded on demand, so modes that draw nothing never load ink or React.
const {runCommand} = await import('./source/modes/run-command.js');
process.exitCode = await runCommand(resolved.options);
