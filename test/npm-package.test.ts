/**
The npm package as a user gets it: `npm pack` in a copy of the repository without dist/ (so `prepack` must build),
then the tarball installed globally into a temporary prefix, and run with npx, each from another folder. And `npm
install` in a fresh clone writes the lockfile the repository has.
*/
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {
	cpSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {after, before, describe, test} from 'node:test';
import {z} from 'zod';
import {repoRoot} from './support/run-cli.js';

type Run = {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
};

/** This environment without npm's lifecycle variables (npm reads npm_config_* as its own settings). */
function cleanEnv(): NodeJS.ProcessEnv {
	return Object.fromEntries(
		Object.entries(process.env).filter(
			([name]) => !name.toLowerCase().startsWith('npm_'),
		),
	);
}

async function run(
	command: string,
	arguments_: readonly string[],
	cwd: string,
	timeoutMs = 240_000,
): Promise<Run> {
	const child = spawn(command, arguments_, {
		cwd,
		env: cleanEnv(),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const timer = setTimeout(() => {
		child.kill('SIGKILL');
	}, timeoutMs);
	const code = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	clearTimeout(timer);
	return {code, stdout, stderr};
}

/** The repository's files as a clone has them: tracked and new ones, nothing that .gitignore leaves out. */
function sourceFiles(): string[] | undefined {
	const listed = spawnSync(
		'git',
		['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
		{cwd: repoRoot, encoding: 'utf8'},
	);
	return listed.status === 0
		? listed.stdout.split('\0').filter(file => file !== '')
		: undefined;
}

const packResult = z.array(
	z.object({
		filename: z.string(),
		files: z.array(z.object({path: z.string()})),
	}),
);
const versionLine = new RegExp(
	String.raw`^\d+\.\d+\.\d+ \(node ${process.version.replaceAll('.', String.raw`\.`)}, linux-(x64|arm64)\)\n$`,
);
const files = sourceFiles();
const skip =
	files === undefined
		? 'git ls-files failed: the package test needs a git checkout'
		: undefined;

describe('npm package', {skip, concurrency: true, timeout: 600_000}, () => {
	const work = mkdtempSync(path.join(tmpdir(), 'vllm-top-package-'));
	const clone = path.join(work, 'clone');
	const elsewhere = path.join(work, 'elsewhere');
	let tarball = '';
	let packed: string[] = [];

	before(
		async () => {
			mkdirSync(elsewhere);
			for (const file of files ?? []) {
				cpSync(path.join(repoRoot, file), path.join(clone, file), {
					recursive: true,
				});
			}

			// The installed dependencies, as `npm install` in a fresh clone would leave them.
			symlinkSync(
				path.join(repoRoot, 'node_modules'),
				path.join(clone, 'node_modules'),
			);
			const result = await run(
				'npm',
				['pack', '--json', '--pack-destination', work],
				clone,
			);
			assert.equal(result.code, 0, result.stderr);
			const [info] = packResult.parse(
				JSON.parse(result.stdout.slice(result.stdout.indexOf('['))),
			);
			tarball = path.join(work, info!.filename);
			packed = info!.files.map(file => file.path);
		},
		{timeout: 300_000},
	);

	after(() => {
		rmSync(work, {recursive: true, force: true});
	});

	test('prepack builds: the tarball has the built CLI and no sources or tests', () => {
		assert.ok(packed.includes('dist/cli.js'), packed.join('\n'));
		assert.ok(packed.includes('package.json'));
		assert.ok(packed.some(file => file.startsWith('dist/source/ui/')));
		assert.ok(!packed.some(file => /^(test|source|bench)\//.test(file)));
		assert.ok(!packed.some(file => file.startsWith('dist-bin/')));
	});

	test('npm install -g of the tarball gives a vllm-top command that works', async () => {
		const prefix = path.join(work, 'prefix');
		const installed = await run(
			'npm',
			[
				'install',
				'--global',
				'--prefix',
				prefix,
				'--no-audit',
				'--no-fund',
				'--prefer-offline',
				tarball,
			],
			elsewhere,
		);
		assert.equal(installed.code, 0, installed.stderr);
		const command = path.join(prefix, 'bin', 'vllm-top');
		const version = await run(command, ['--version'], elsewhere);
		assert.equal(version.code, 0, version.stderr);
		assert.match(version.stdout, versionLine);
		const once = await run(command, ['--once', '--demo'], elsewhere, 60_000);
		assert.ok(once.code === 0 || once.code === 1, once.stderr);
		assert.match(once.stdout, /vLLM \d+\.\d+\.\d+ \(V1\)/);
	});

	test('npm install leaves the lockfile of a fresh clone as it is', async () => {
		// Only package.json and the lockfile decide what npm writes; nothing is installed.
		const fresh = path.join(work, 'fresh');
		mkdirSync(fresh);
		for (const file of ['package.json', 'package-lock.json']) {
			cpSync(path.join(repoRoot, file), path.join(fresh, file));
		}

		const installed = await run(
			'npm',
			[
				'install',
				'--package-lock-only',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--prefer-offline',
			],
			fresh,
		);
		assert.equal(installed.code, 0, installed.stderr);
		assert.equal(
			readFileSync(path.join(fresh, 'package-lock.json'), 'utf8'),
			readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8'),
			'npm install rewrote package-lock.json: run npm install and commit the lockfile it writes',
		);
	});

	test('npx runs the tarball', async () => {
		const result = await run(
			'npx',
			['--yes', `--package=${tarball}`, '--', 'vllm-top', '--version'],
			elsewhere,
		);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, versionLine);
	});
});
