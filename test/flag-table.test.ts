/**
The flag table is the one description of every flag: meow's spec, `--help` and the resolved options all follow it.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import meow from 'meow';
import {
	type RawFlags,
	resolveCliOptions,
} from '../source/config/cli-options.js';
import {kebabCase} from '../source/config/flag-row.js';
import {flagRows} from '../source/config/flags.js';
import {helpText} from '../source/config/help-text.js';
import {meowSpec, unsetFlags} from '../source/config/meow-spec.js';
import {
	defaultIntervalMs,
	maxIntervalMs,
	minIntervalMs,
	onceIntervalMs,
} from '../source/scrape/interval.js';

test('every row is in meow’s spec and has its own line in --help', () => {
	const spec = meowSpec();
	const help = helpText();
	for (const [name, row] of flagRows) {
		assert.ok(name in spec, name);
		const flag = row.on ? `--no-${kebabCase(name)}` : `--${kebabCase(name)}`;
		assert.match(help, new RegExp(String.raw`^  (-\w, )?${flag}\b`, 'm'), flag);
		assert.doesNotMatch(help, /{(default|min|max|env)}/);
	}
});

test('the interval’s bounds and defaults come from the scheduler’s constants', () => {
	const help = helpText();
	assert.ok(
		help.includes(
			`(default ${defaultIntervalMs / 1000}; ${onceIntervalMs / 1000} for --once; ${minIntervalMs / 1000} to ${maxIntervalMs / 1000})`,
		),
	);
	const live = resolveCliOptions(['http://x'], unsetFlags(), {});
	assert.ok(live.ok);
	assert.equal(live.options.intervalMs, defaultIntervalMs);
	const once = resolveCliOptions(
		['http://x'],
		{...unsetFlags(), once: true},
		{},
	);
	assert.ok(once.ok);
	assert.equal(once.options.intervalMs, onceIntervalMs);
	const tooFast = resolveCliOptions(
		['http://x'],
		{...unsetFlags(), interval: String((minIntervalMs - 1) / 1000)},
		{},
	);
	assert.deepEqual(tooFast, {
		ok: false,
		error: `--interval must be from ${minIntervalMs / 1000} to ${maxIntervalMs / 1000} seconds, got ${(minIntervalMs - 1) / 1000}`,
	});
});

test('a row’s environment variable stands in for the flag, and the flag wins', () => {
	const fromEnv = resolveCliOptions(['http://x'], unsetFlags(), {
		VLLM_API_KEY: 'from-env',
	});
	assert.ok(fromEnv.ok);
	assert.equal(fromEnv.options.apiKey, 'from-env');
	const fromFlag = resolveCliOptions(
		['http://x'],
		{...unsetFlags(), apiKey: 'typed'},
		{VLLM_API_KEY: 'from-env'},
	);
	assert.ok(fromFlag.ok);
	assert.equal(fromFlag.options.apiKey, 'typed');
	const noColor = resolveCliOptions(['http://x'], unsetFlags(), {
		NO_COLOR: '1',
	});
	assert.ok(noColor.ok);
	assert.equal(noColor.options.color, false);
});

test('each row with modes refuses its flag elsewhere, naming where it applies', () => {
	for (const [name, row] of flagRows) {
		if (!row.modes) {
			continue;
		}

		// A switch that is on by default is given as --no-<flag>.
		const negated = row.kind === 'boolean' && row.on === true;
		const value = row.kind === 'boolean' ? !negated : '1';
		// Plain monitoring of one URL: no --demo, --replay or --prometheus, so every mode-bound flag is out of place.
		const resolved = resolveCliOptions(
			['http://x'],
			{...unsetFlags(), [name]: value},
			{},
		);
		const allowed = row.modes.when({
			command: 'monitor',
			flags: {...unsetFlags(), [name]: value},
			env: {},
		});
		if (allowed) {
			continue;
		}

		assert.deepEqual(resolved, {
			ok: false,
			error: `--${negated ? 'no-' : ''}${kebabCase(name)} only applies to ${row.modes.where}`,
		});
	}
});

test('a call with no flag starts without meow, on the options meow would give', () => {
	for (const argv of [
		[],
		['http://host:8000'],
		['host:8000', 'host:8001'],
		['8000'],
		['samples', 'page.txt'],
		['samples', '-'],
		['samples', 'http://host:8000/metrics'],
		['simulate'],
		['export', 'grafana'],
	]) {
		const cli = meow('', {
			importMeta: import.meta,
			argv,
			allowUnknownFlags: true,
			flags: meowSpec(),
		});
		assert.deepEqual(cli.input, argv);
		// meow leaves out a flag with no value and no default.
		assert.deepEqual(
			cli.flags,
			Object.fromEntries(
				Object.entries(unsetFlags()).filter(([, value]) => value !== undefined),
			),
		);
		assert.deepEqual(
			resolveCliOptions(argv, unsetFlags(), {VLLM_API_KEY: 'k'}),
			// Shaped by `meowSpec`, as in cli.tsx.
			// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
			resolveCliOptions(cli.input, cli.flags as unknown as RawFlags, {
				VLLM_API_KEY: 'k',
			}),
		);
	}
});
