/**
What `vllm-top --version` says: the version, and how this copy was built (the npm package run by node, or a single
executable with Node.js inside), for which platform. A bug report then says which of the two a user runs.
*/
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {isSea} from 'node:sea';
import {fileURLToPath} from 'node:url';

export type OwnPackage = {
	readonly name: string;
	readonly version: string;
	readonly description: string;
};

/** Defined by the executable build (scripts/build-executables.mjs), which has no package.json to read at run time. */
declare const vllmTopPackage: OwnPackage | undefined;

/** vllm-top's package.json: the one above this module, or what the executable build embedded. */
export function ownPackage(): OwnPackage {
	// eslint-disable-next-line unicorn/no-typeof-undefined -- undeclared outside the executable: a bare read would throw
	if (typeof vllmTopPackage !== 'undefined') {
		return vllmTopPackage;
	}

	let folder = path.dirname(fileURLToPath(import.meta.url));
	for (;;) {
		const file = path.join(folder, 'package.json');
		if (existsSync(file)) {
			// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the package's own manifest
			const manifest = JSON.parse(readFileSync(file, 'utf8')) as OwnPackage;
			if (manifest.name === 'vllm-top') {
				return manifest;
			}
		}

		const parent = path.dirname(folder);
		if (parent === folder) {
			throw new Error('vllm-top: its package.json is missing');
		}

		folder = parent;
	}
}

/** E.g. `0.1.0 (single executable, Node.js v26.12.1, linux-arm64)`. */
export function versionLine(
	version: string,
	singleExecutable = isSea(),
): string {
	const how = singleExecutable
		? `single executable, Node.js ${process.version}`
		: `node ${process.version}`;
	return `${version} (${how}, ${process.platform}-${process.arch})`;
}
