import type {ExpositionFormat, Sample} from '../parse/page.js';
import {parseExposition} from '../parse/parse-exposition.js';

/** Exit code for a page Prometheus would reject (sysexits EX_DATAERR). */
export const rejectedPageExitCode = 65;

/** JSON has no NaN or Infinity; these spellings are Prometheus' own. */
function jsonValue(value: number): number | string {
	if (Number.isNaN(value)) {
		return 'NaN';
	}

	if (value === Number.POSITIVE_INFINITY) {
		return '+Inf';
	}

	if (value === Number.NEGATIVE_INFINITY) {
		return '-Inf';
	}

	return value;
}

export function sampleToJson(sample: Sample): string {
	return JSON.stringify({
		name: sample.name,
		labels: sample.labels,
		value: jsonValue(sample.value),
		timestamp_ms: sample.timestampMs,
	});
}

/**
The public `samples` contract: one NDJSON line per sample in page order,
`{"name":…,"labels":{…},"value":1.5|"NaN"|"+Inf"|"-Inf","timestamp_ms":123|null}`; a rejected page is exactly one
line `{"error":…,"line":N}` and exit code 65. Every line, including the last, ends with a newline.
*/
export function renderSamples(
	text: string,
	format: ExpositionFormat,
): {output: string; exitCode: 0 | 65} {
	const result = parseExposition(text, format);
	if (!result.ok) {
		return {
			output: JSON.stringify({error: result.error, line: result.line}) + '\n',
			exitCode: rejectedPageExitCode,
		};
	}

	const lines: string[] = [];
	for (const sample of result.page.samples) {
		lines.push(sampleToJson(sample));
	}

	return {
		output: lines.length === 0 ? '' : lines.join('\n') + '\n',
		exitCode: 0,
	};
}
