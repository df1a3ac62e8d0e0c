/**
What a page without vLLM's or SGLang's metrics has instead, in a few words: its families grouped by the prefix
before the first `:` or `_` (`process_`, `python_`, `http_`, `tgi_`), largest group first.
*/

export type FamilyGroup = {
	/** `process_`, `tgi_`, `ray:`. */
	readonly prefix: string;
	readonly families: number;
};

/**
Families every Python web server exposes (prometheus_client's process and GC collectors, the HTTP instrumentator
vLLM's API server mounts): a vLLM server with `--disable-log-stats` has these and nothing else.
*/
export const serverOnlyPrefixes: readonly string[] = [
	'process_',
	'python_',
	'http_',
];

export function familyGroups(names: Iterable<string>): FamilyGroup[] {
	const counts = new Map<string, number>();
	for (const name of names) {
		const cut = name.search(/[:_]/);
		const prefix = cut <= 0 ? name : name.slice(0, cut + 1);
		counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
	}

	return [...counts]
		.map(([prefix, families]) => ({prefix, families}))
		.toSorted(
			(a, b) => b.families - a.families || a.prefix.localeCompare(b.prefix),
		);
}

/** `process_* (6), python_* (3)`: at most four groups, and how many more. */
export function describeGroups(groups: readonly FamilyGroup[]): string {
	const shown = groups
		.slice(0, 4)
		.map(group => `${group.prefix}* (${group.families})`)
		.join(', ');
	return groups.length > 4 ? `${shown} and ${groups.length - 4} more` : shown;
}
