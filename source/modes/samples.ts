import type {ExpositionFormat} from '../parse/page.js';
import {ParseFailure} from '../parse/scanner.js';
import {plainPageLines} from './plain-page-lines.js';
import {SampleLineScanner} from './sample-lines.js';

/** Exit code for a page Prometheus would reject (sysexits EX_DATAERR). */
export const rejectedPageExitCode = 65;

export type SamplesResult =
	| {readonly ok: true; readonly chunks: readonly Uint8Array[]}
	| {readonly ok: false; readonly output: string};

/**
The public `samples` contract: one NDJSON line per sample in page order,
`{"name":…,"labels":{…},"value":1.5|"NaN"|"+Inf"|"-Inf","timestamp_ms":123|null}`; a rejected page is exactly one
line `{"error":…,"line":N}` and exit code 65. Every line, including the last, ends with a newline.
*/
export function samplesOf(
	text: string,
	format: ExpositionFormat,
	chunkSize?: number,
): SamplesResult {
	const scanner = new SampleLineScanner(text, format, chunkSize);
	try {
		scanner.parse();
	} catch (error: unknown) {
		if (error instanceof ParseFailure) {
			return {
				ok: false,
				output: JSON.stringify({error: error.reason, line: error.line}) + '\n',
			};
		}

		throw error;
	}

	return {ok: true, chunks: scanner.lines.finish()};
}

/** `samplesOf` for a page read as bytes (valid UTF-8): a text-format page of the plain shape is written straight from them. */
export function samplesOfBytes(
	bytes: Buffer,
	format: ExpositionFormat,
): SamplesResult {
	const lines = format === 'text' ? plainPageLines(bytes) : undefined;
	return lines === undefined
		? samplesOf(bytes.toString('utf8'), format)
		: {ok: true, chunks: lines};
}

/** The whole output at once, for callers that want one string. */
export function renderSamples(
	text: string,
	format: ExpositionFormat,
): {output: string; exitCode: 0 | 65} {
	const result = samplesOf(text, format);
	return result.ok
		? {output: Buffer.concat(result.chunks).toString(), exitCode: 0}
		: {output: result.output, exitCode: rejectedPageExitCode};
}
