/**
The flag table as meow's `flags` option. Numbers stay strings here so the resolver can quote what was typed.
*/
import type {AnyFlags} from 'meow';
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
