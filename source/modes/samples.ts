import type {ExpositionFormat, Labels, Sample} from '../parse/page.js';
import {parseExposition} from '../parse/parse-exposition.js';

/** Exit code for a page Prometheus would reject (sysexits EX_DATAERR). */
export const rejectedPageExitCode = 65;

/** About 1 MB per chunk: few writes to the pipe, and a bounded amount of text held at once. */
const chunkChars = 1 << 20;

/** JSON has no NaN or Infinity; these spellings are Prometheus' own. A finite number prints as JSON prints it. */
function valueJson(value: number): string {
	if (Number.isFinite(value)) {
		return String(value);
	}

	return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"+Inf"' : '"-Inf"';
}

/** JSON.stringify's spelling of a timestamp: a number, or null (also for a number JSON cannot hold). */
function timestampJson(timestampMs: number | null): string {
	return timestampMs !== null && Number.isFinite(timestampMs)
		? String(timestampMs)
		: 'null';
}

/**
The NDJSON lines of `samples`, about `chunkChars` at a time. A page repeats names and label sets (the parser interns
equal sets into one object), so each name and each label set is serialised once and its text reused.
*/
export function* sampleChunks(
	samples: readonly Sample[],
	maxChars = chunkChars,
): Generator<string, void, undefined> {
	const labelsText = new Map<Labels, string>();
	let lastName: string | undefined;
	let namePrefix = '';
	let lastLabels: Labels | undefined;
	let labelsPart = '';
	let chunk = '';
	for (const sample of samples) {
		if (sample.name !== lastName) {
			lastName = sample.name;
			namePrefix = '{"name":' + JSON.stringify(lastName) + ',"labels":';
		}

		if (sample.labels !== lastLabels) {
			lastLabels = sample.labels;
			let known = labelsText.get(lastLabels);
			if (known === undefined) {
				known = JSON.stringify(lastLabels) + ',"value":';
				labelsText.set(lastLabels, known);
			}

			labelsPart = known;
		}

		chunk +=
			namePrefix +
			labelsPart +
			valueJson(sample.value) +
			',"timestamp_ms":' +
			timestampJson(sample.timestampMs) +
			'}\n';
		if (chunk.length >= maxChars) {
			yield chunk;
			chunk = '';
		}
	}

	if (chunk !== '') {
		yield chunk;
	}
}

export type SamplesResult =
	| {readonly ok: true; readonly chunks: Iterable<string>}
	| {readonly ok: false; readonly output: string};

/**
The public `samples` contract: one NDJSON line per sample in page order,
`{"name":…,"labels":{…},"value":1.5|"NaN"|"+Inf"|"-Inf","timestamp_ms":123|null}`; a rejected page is exactly one
line `{"error":…,"line":N}` and exit code 65. Every line, including the last, ends with a newline.
*/
export function samplesOf(
	text: string,
	format: ExpositionFormat,
): SamplesResult {
	const result = parseExposition(text, format);
	return result.ok
		? {ok: true, chunks: sampleChunks(result.page.samples)}
		: {
				ok: false,
				output: JSON.stringify({error: result.error, line: result.line}) + '\n',
			};
}

/** The whole output at once, for callers that want one string. */
export function renderSamples(
	text: string,
	format: ExpositionFormat,
): {output: string; exitCode: 0 | 65} {
	const result = samplesOf(text, format);
	return result.ok
		? {output: [...result.chunks].join(''), exitCode: 0}
		: {output: result.output, exitCode: rejectedPageExitCode};
}
