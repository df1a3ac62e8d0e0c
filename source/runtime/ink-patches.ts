/**
Fixes to ink 6.8 that the monitor needs and ink does not export a way to make. `npm run build` applies them to a copy
of ink in dist/vendor/ink (scripts/vendor-ink.mjs), which the built view imports. A patch applies only if every text
it replaces is found, and the build fails if one does not, so a changed ink is noticed rather than half patched.

- Bounded caches: `measure-text.js` and `wrap-text.js` memoise into module-level caches that are never emptied. A
  monitor draws new numbers every scrape, so in a session left open for days they would grow without end.
- Caches across frames: `output.js` tokenises every line into styled cells and `render-node-to-output.js` measures
  every text's width again on each frame, with caches that live for one frame only. Most lines of the next frame
  (labels, headers, the key bar) are the same, and this was over half the CPU of a frame. The caches now live across
  frames, bounded like the others.
- Text widths: ink measures text with widest-line, which runs string-width's grapheme segmenter on every line; the
  characters the views draw are one cell each, and `format/cell-width.ts` counts them as string-width does, fast.
- Lines from writes: `output.js` lays every write into a grid of cell objects and joins each row back into a string;
  `fast-output.ts` builds the rows directly when that gives the same cells, which is most of what a frame costs.
- Colour codes kept as they are: `sanitize-ansi.js` splits every text into tokens on every frame to drop escape codes
  that would move the cursor, and keeps colour codes (SGR) as they were. A text whose only escape codes are colour
  codes, which is every text the views draw, comes back unchanged, so that is checked first with one regular
  expression.
- Incremental rendering: the line-diff renderer in `log-update.js` moves the cursor up one line too few when the
  previous frame ended with a newline (every frame shorter than the terminal), so each frame landed one line lower
  and left stale copies of lines above it.
*/
/** Entries per text cache: a few frames' worth of distinct lines, far below what could matter for memory. */
export const inkCacheLimit = 4096;

/** Lines kept tokenised into styled cells (an object per character, so fewer): about two frames of text. */
export const styledLineLimit = 256;

type Rewrite = {readonly from: string; readonly to: string};

type Patch = {
	readonly file: string;
	readonly rewrites: readonly Rewrite[];
};

/** widest-line measures every line with string-width's grapheme segmenter; `cell-width` gives the same count fast. */
const widestLineFrom = (moduleUrl: ModuleUrl): Rewrite => ({
	from: "import widestLine from 'widest-line';",
	to: `import {widestLine} from ${JSON.stringify(moduleUrl('cell-width'))};`,
});

const bounded = (map: string, limit: number): Rewrite => ({
	from: `this.${map}.set(`,
	to: `if (this.${map}.size >= ${limit}) this.${map}.clear(); this.${map}.set(`,
});

/** The import specifier, in the patched file, of a module of ours it imports: `fast-output` or `cell-width`. */
export type ModuleUrl = (name: 'fast-output' | 'cell-width') => string;

const patchesWith = (moduleUrl: ModuleUrl): readonly Patch[] => [
	{
		file: '/ink/build/measure-text.js',
		rewrites: [
			{
				from: 'cache.set(text, dimensions);',
				to: `if (cache.size >= ${inkCacheLimit}) cache.clear(); cache.set(text, dimensions);`,
			},
			widestLineFrom(moduleUrl),
		],
	},
	{
		file: '/ink/build/wrap-text.js',
		rewrites: [
			{
				from: 'cache[cacheKey] = wrappedText;',
				to: `if (++cacheSize > ${inkCacheLimit}) { for (const key in cache) delete cache[key]; cacheSize = 1; } cache[cacheKey] = wrappedText;`,
			},
			{from: 'const cache = {};', to: 'const cache = {};\nlet cacheSize = 0;'},
		],
	},
	{
		file: '/ink/build/output.js',
		rewrites: [
			bounded('widths', inkCacheLimit),
			bounded('blockWidths', inkCacheLimit),
			bounded('styledChars', styledLineLimit),
			{
				from: 'export default class Output {',
				to: 'const framesCaches = new OutputCaches();\nexport default class Output {',
			},
			{from: 'caches = new OutputCaches();', to: 'caches = framesCaches;'},
			{
				from: "import sliceAnsi from 'slice-ansi';",
				to: `import {fastOutput} from ${JSON.stringify(moduleUrl('fast-output'))};\nimport sliceAnsi from 'slice-ansi';`,
			},
			{
				from: '    get() {\n        // Initialize output array',
				to: '    get() {\n        return fastOutput(this) ?? this.gridGet();\n    }\n    gridGet() {\n        // Initialize output array',
			},
		],
	},
	{
		file: '/ink/build/render-node-to-output.js',
		rewrites: [
			{
				from: "import widestLine from 'widest-line';",
				to: `import {widestLine as measureWidestLine} from ${JSON.stringify(moduleUrl('cell-width'))};
const widestLines = new Map();
const widestLine = text => {
	let width = widestLines.get(text);
	if (width === undefined) {
		width = measureWidestLine(text);
		if (widestLines.size >= ${inkCacheLimit}) widestLines.clear();
		widestLines.set(text, width);
	}
	return width;
};`,
			},
		],
	},
	{
		file: '/ink/build/sanitize-ansi.js',
		rewrites: [
			{
				from: 'const sanitizeAnsi = (text) => {\n    if (!hasAnsiControlCharacters(text)) {',
				// No C1 control character, and every ESC starts an SGR sequence (`ESC [ digits : ; m`), which is kept.
				to: String.raw`const unsafeControl = /[\u0080-\u009F]|\u001B(?!\[[\d:;]*m)/;
const sanitizeAnsi = (text) => {
    if (!unsafeControl.test(text)) {`,
			},
		],
	},
	{
		file: '/ink/build/log-update.js',
		rewrites: [
			{
				from: 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
				to: String.raw`buffer.push(ansiEscapes.cursorUp(previousOutput.endsWith('\n') ? previousVisible : previousVisible - 1));`,
			},
		],
	},
];

/** The files the patches rewrite, relative to ink's package folder. */
export const patchedInkFiles: readonly string[] = patchesWith(() => '').map(
	patch => patch.file.replace('/ink/', ''),
);

/**
The source of an ink module with its patch applied; other modules, or a source that differs, come back as they are.
`moduleUrl` gives the specifier of our modules that a patched file imports.
*/
export function patchInk(
	url: string,
	source: string,
	moduleUrl: ModuleUrl,
): string {
	const patch = patchesWith(moduleUrl).find(candidate =>
		url.endsWith(candidate.file),
	);
	if (!patch?.rewrites.every(rewrite => source.includes(rewrite.from))) {
		return source;
	}

	let patched = source;
	for (const rewrite of patch.rewrites) {
		patched = patched.replaceAll(rewrite.from, rewrite.to);
	}

	return patched;
}
