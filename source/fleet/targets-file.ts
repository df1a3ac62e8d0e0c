/**
The `--targets FILE` list: a fleet written down once instead of typed as URL arguments. Pure: the caller reads the
file and passes its text. Every bad entry is one line naming the file, the entry and what to write instead.

YAML shape (a bare list works too):

	targets:
	  - name: gpu-a          # optional; the URL by default
	    url: gpu-a:8000      # same forms as URL arguments
	    api_key: sk-...      # optional; sent as a bearer token to this target only
	    max_num_seqs: 256    # optional; the server's --max-num-seqs, for the `saturated` rule
	    gpu_url: gpu-a:9400  # optional; the DCGM exporter of this target's GPUs
*/
import {z} from 'zod';
import {readYaml} from '../config/read-yaml.js';
import {dcgmExporterPort} from '../gpu/dcgm-fields.js';
import {normalizeTargetUrl} from '../scrape/target-url.js';

export type FileTarget = {
	readonly name: string;
	/** The /metrics URL. */
	readonly url: string;
	/** Origin plus path prefix, for /health, /version and the profiler. */
	readonly base: string;
	readonly apiKey?: string;
	readonly maxNumSeqs?: number;
	/** The DCGM exporter page of this target's GPUs. */
	readonly gpuUrl?: string;
};

export type TargetsFileResult =
	| {readonly ok: true; readonly targets: FileTarget[]}
	| {readonly ok: false; readonly error: string};

const entrySchema = z.strictObject({
	name: z.string().trim().min(1).max(128).optional(),
	url: z.string().min(1),

	api_key: z.string().min(1).optional(),

	max_num_seqs: z.number().int().positive().max(1_000_000).optional(),

	gpu_url: z.string().min(1).optional(),
});

const entriesSchema = z.array(z.unknown()).min(1);
const fileSchema = z.union([
	entriesSchema,
	z.strictObject({targets: entriesSchema}),
]);

/** Enough of a fleet for the view; beyond this, the Prometheus backend is the tool. */
export const maxFileTargets = 1000;

function describeEntryIssue(issue: z.core.$ZodIssue): string {
	const key = issue.path.map(String).join('.');
	if (issue.code === 'unrecognized_keys') {
		return `unknown key ${issue.keys.map(k => `'${k}'`).join(', ')} (known: name, url, api_key, max_num_seqs, gpu_url)`;
	}

	switch (key) {
		case 'url': {
			return "missing or empty 'url': give one like http://gpu-a:8000/metrics or gpu-a:8000";
		}

		case 'name': {
			return "'name' must be a non-empty string of at most 128 characters";
		}

		case 'api_key': {
			return "'api_key' must be a non-empty string";
		}

		case 'gpu_url': {
			return "'gpu_url' must be a DCGM exporter URL, like gpu-a:9400";
		}

		case 'max_num_seqs': {
			return "'max_num_seqs' must be a whole number above 0, like 256";
		}

		default: {
			return issue.message;
		}
	}
}

export function parseTargetsFile(
	yamlText: string,
	path: string,
): TargetsFileResult {
	const read = readYaml(yamlText);
	if (!read.ok) {
		return {ok: false, error: `${path}: ${read.error}`};
	}

	const checked = fileSchema.safeParse(read.data);
	if (!checked.success) {
		return {
			ok: false,
			error: `${path}: expected a non-empty list of targets, or 'targets:' holding one; each entry like {name: gpu-a, url: gpu-a:8000}`,
		};
	}

	const entries = Array.isArray(checked.data)
		? checked.data
		: checked.data.targets;
	if (entries.length > maxFileTargets) {
		return {
			ok: false,
			error: `${path}: ${entries.length} targets, at most ${maxFileTargets}: for a larger fleet use --prometheus`,
		};
	}

	const targets: FileTarget[] = [];
	const seen = new Map<string, number>();
	for (const [index, raw] of entries.entries()) {
		const where = `${path}: target ${index + 1}`;
		const entry = entrySchema.safeParse(raw);
		if (!entry.success) {
			const issue = entry.error.issues[0];
			const cause =
				issue === undefined
					? 'not a valid target'
					: typeof raw === 'object' && raw !== null && !Array.isArray(raw)
						? describeEntryIssue(issue)
						: 'expected a mapping like {name: gpu-a, url: gpu-a:8000}';
			return {ok: false, error: `${where}: ${cause}`};
		}

		const normalized = normalizeTargetUrl(entry.data.url);
		if (!normalized.ok) {
			return {ok: false, error: `${where}: ${normalized.error}`};
		}

		const gpuUrl =
			entry.data.gpu_url === undefined
				? undefined
				: normalizeTargetUrl(entry.data.gpu_url, dcgmExporterPort);
		if (gpuUrl?.ok === false) {
			return {ok: false, error: `${where}: gpu_url: ${gpuUrl.error}`};
		}

		const name = entry.data.name ?? normalized.url;
		const earlier = seen.get(name);
		if (earlier !== undefined) {
			return {
				ok: false,
				error: `${where}: duplicate name '${name}' (also target ${earlier + 1}): give each target its own name`,
			};
		}

		seen.set(name, index);
		targets.push({
			name,
			url: normalized.url,
			base: normalized.base,
			...(entry.data.api_key === undefined ? {} : {apiKey: entry.data.api_key}),
			...(entry.data.max_num_seqs === undefined
				? {}
				: {maxNumSeqs: entry.data.max_num_seqs}),
			...(gpuUrl?.ok ? {gpuUrl: gpuUrl.url} : {}),
		});
	}

	return {ok: true, targets};
}
