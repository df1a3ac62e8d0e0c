/**
Reads a small YAML file (`--config`, `--targets`) into plain data, or one line naming the first problem.

Aliases are expanded with a small limit: a file of a few lines can otherwise expand to billions of nodes (the
"billion laughs"), and the library's own limit ends in an exception rather than an answer.
*/
import {parseDocument} from 'yaml';

export type YamlRead =
	| {readonly ok: true; readonly data: unknown}
	| {readonly ok: false; readonly error: string};

/** Far more aliases than a hand-written config uses, far fewer than an expansion attack needs. */
export const maxAliasCount = 50;

export function readYaml(text: string): YamlRead {
	const document = parseDocument(text, {uniqueKeys: true});
	const first = document.errors[0];
	if (first) {
		const line = first.linePos?.[0].line;
		return {
			ok: false,
			error: `not valid YAML${line === undefined ? '' : ` (line ${line})`}: ${firstLine(first.message)}`,
		};
	}

	try {
		return {ok: true, data: document.toJS({maxAliasCount})};
	} catch (error: unknown) {
		const reason = error instanceof Error ? firstLine(error.message) : '';
		return {
			ok: false,
			error: /alias/iu.test(reason)
				? `not valid YAML: its aliases expand too far (at most ${maxAliasCount} uses of an anchor); write the values out`
				: `not valid YAML: ${reason}`,
		};
	}
}

function firstLine(text: string): string {
	return text.split('\n')[0] ?? text;
}
