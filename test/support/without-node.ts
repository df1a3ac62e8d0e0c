/**
Runs a program as on a box without Node.js: in a mount namespace of its own (`unshare -m`, so nothing leaks out)
where every `node` binary on this machine is covered by an empty, non-executable file, with an empty PATH and a bare
environment. Needs root (or CAP_SYS_ADMIN) and util-linux's unshare.
*/
import {execFileSync, spawnSync} from 'node:child_process';
import {realpathSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';

/** Where node gets installed: the system, /usr/local, /opt, version managers in home folders. */
const searchRoots = ['/usr', '/opt', '/root', '/home', '/srv', '/snap'];

/** Why programs cannot be run with node hidden here, or undefined when they can. */
export function hidingMissing(): string | undefined {
	if (process.platform !== 'linux') {
		return 'hiding node needs Linux mount namespaces';
	}

	const probe = spawnSync('unshare', ['-m', 'true'], {stdio: 'ignore'});
	return probe.error === undefined && probe.status === 0
		? undefined
		: 'unshare -m failed: hiding node needs util-linux and root';
}

/** Every file named node or nodejs under the usual roots and `extraRoots`, plus the node running this test. */
export function nodeBinaries(extraRoots: readonly string[]): string[] {
	const found = spawnSync(
		'find',
		[
			...searchRoots,
			...extraRoots,
			'(',
			'-name',
			'node',
			'-o',
			'-name',
			'nodejs',
			')',
			'(',
			'-type',
			'f',
			'-o',
			'-type',
			'l',
			')',
			'-print',
		],
		{encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']},
	).stdout;
	const files = new Set([process.execPath, ...found.split('\n')]);
	files.delete('');
	const real = [...files].flatMap(file => {
		try {
			return [realpathSync(file)];
		} catch {
			return []; // A dangling link runs nothing.
		}
	});
	// Only executables matter; `node` folders (e.g. in node_modules) are skipped by -type above.
	return [...new Set(real)].toSorted();
}

/**
Writes `hide-node.sh` into `folder` and returns the command prefix that runs a program through it: the script covers
each of `binaries`, then execs the program with PATH empty and only TERM and LANG kept.
*/
export function withoutNode(
	folder: string,
	binaries: readonly string[],
): string[] {
	const empty = path.join(folder, 'no-node-here');
	writeFileSync(empty, '', {mode: 0o644});
	const quote = (word: string) => `'${word.replaceAll("'", String.raw`'\''`)}'`;
	const script = path.join(folder, 'hide-node.sh');
	writeFileSync(
		script,
		[
			'set -e',
			...binaries.map(
				binary => `mount --bind ${quote(empty)} ${quote(binary)}`,
			),
			// eslint-disable-next-line no-template-curly-in-string -- shell syntax
			'exec env -i PATH= TERM="${TERM:-dumb}" LANG=C.UTF-8 "$@"',
			'',
		].join('\n'),
	);
	return ['unshare', '-m', '/bin/sh', script];
}

/** Whether `unshare -m` with `prefix` really hides `binary` (it must fail to run). */
export function isHidden(prefix: readonly string[], binary: string): boolean {
	try {
		execFileSync(prefix[0]!, [...prefix.slice(1), binary, '--version'], {
			stdio: 'ignore',
		});
		return false;
	} catch {
		return true;
	}
}
