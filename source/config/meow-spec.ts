/**
The flag table as meow's `flags` option. Numbers stay strings here so the resolver can quote what was typed.
*/
import type {AnyFlags} from 'meow';
import type {RawFlags} from './cli-options.js';
import {flagRows} from './flags.js';

export function meowSpec(): AnyFlags {
	const spec: AnyFlags = {};
	for (const [name, row] of flagRows) {
		const alias = row.alias === undefined ? {} : {shortFlag: row.alias};
		spec[name] =
			row.kind === 'boolean'
				? {type: 'boolean', default: row.on ?? false, ...alias}
				: row.kind === 'list'
					? {type: 'string', isMultiple: true, default: [], ...alias}
					: {type: 'string', ...alias};
	}

	return spec;
}

/** Every flag as meow gives it when none is typed: each one's default. */
export function unsetFlags(): RawFlags {
	const raw: Record<string, unknown> = {};
	for (const [name, spec] of Object.entries(meowSpec())) {
		raw[name] = 'default' in spec ? spec.default : undefined;
	}

	// Shaped by `meowSpec`, one entry per row of the flag table.
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
	return raw as RawFlags;
}
