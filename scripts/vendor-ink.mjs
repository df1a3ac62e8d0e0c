/**
Part of `npm run build`, after tsc: the built view runs on a patched copy of ink (see source/runtime/ink-patches.ts
for what and why). ink's build folder is copied to dist/vendor/ink/ with the patches applied, and the built modules'
imports of `ink` are pointed at the copy. Patching at build time costs nothing at start-up, where a module hook
rewriting ink as it loads put every later import of the process through a loader thread (about half a second).
The copy sits inside this package, so its own imports (react, yoga-layout, ...) resolve as ink's do.
*/
import {
	cpSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const inkEntry = fileURLToPath(import.meta.resolve('ink'));
const inkBuild = path.dirname(inkEntry);
const inkPackage = path.dirname(inkBuild);
const vendor = path.join(dist, 'vendor', 'ink');
const vendoredEntry = path.join(vendor, 'build', 'index.js');

const {patchInk, patchedInkFiles} = await import(
	pathToFileURL(path.join(dist, 'source', 'runtime', 'ink-patches.js')).href
);

/** Every file under `folder`, as paths relative to it. */
function filesUnder(folder) {
	return readdirSync(folder, {recursive: true, withFileTypes: true})
		.filter(entry => entry.isFile())
		.map(entry =>
			path.relative(folder, path.join(entry.parentPath, entry.name)),
		);
}

/** An import specifier for `target` from the module at `from`. */
function relativeSpecifier(from, target) {
	const relative = path
		.relative(path.dirname(from), target)
		.split(path.sep)
		.join('/');
	return relative.startsWith('.') ? relative : `./${relative}`;
}

rmSync(vendor, {recursive: true, force: true});
mkdirSync(path.join(vendor, 'build'), {recursive: true});
// ink reads its package.json in development builds.
cpSync(
	path.join(inkPackage, 'package.json'),
	path.join(vendor, 'package.json'),
);
const ourModules = {
	'fast-output': path.join(dist, 'source', 'runtime', 'fast-output.js'),
	'cell-width': path.join(dist, 'source', 'format', 'cell-width.js'),
};
const patched = new Set();
for (const file of filesUnder(inkBuild)) {
	if (!file.endsWith('.js')) {
		continue;
	}

	const source = readFileSync(path.join(inkBuild, file), 'utf8');
	const target = path.join(vendor, 'build', file);
	const url = pathToFileURL(path.join(inkBuild, file)).href;
	const result = patchInk(url, source, name =>
		relativeSpecifier(target, ourModules[name]),
	);
	if (result !== source) {
		patched.add(`build/${file.split(path.sep).join('/')}`);
	}

	mkdirSync(path.dirname(target), {recursive: true});
	writeFileSync(target, result);
}

const missing = patchedInkFiles.filter(file => !patched.has(file));
if (missing.length > 0) {
	console.error(
		`vendor-ink: ink's source no longer matches the patches for ${missing.join(', ')}: update source/runtime/ink-patches.ts`,
	);
	process.exit(1);
}

// Point the built modules at the copy.
const inkImport = /(\bfrom\s*|\bimport\s*\(\s*)(['"])ink\2/g;
let pointed = 0;
for (const file of filesUnder(dist)) {
	const absolute = path.join(dist, file);
	if (
		!file.endsWith('.js') ||
		absolute.startsWith(path.join(dist, 'vendor') + path.sep)
	) {
		continue;
	}

	const source = readFileSync(absolute, 'utf8');
	const result = source.replaceAll(
		inkImport,
		(_match, keyword, quote) =>
			`${keyword}${quote}${relativeSpecifier(absolute, vendoredEntry)}${quote}`,
	);
	if (result !== source) {
		writeFileSync(absolute, result);
		pointed++;
	}
}

if (pointed === 0) {
	console.error('vendor-ink: no built module imports ink: is dist/ built?');
	process.exit(1);
}
