/**
Baseline for the `samples` benchmark: the same NDJSON dump written the plain way, on parse-prometheus-text-format
(one object per sample, JSON.stringify per line, one write at the end). Plain JavaScript on plain node, as
`node dist/cli.js samples FILE` runs. Usage: node bench/ppt-ndjson-dump.js FILE
*/
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import process from 'node:process';

const parse = createRequire(import.meta.url)('parse-prometheus-text-format');

function jsonValue(text) {
	const value = Number(text);
	if (Number.isNaN(value)) {
		return 'NaN';
	}

	if (value === Number.POSITIVE_INFINITY) {
		return '+Inf';
	}

	return value === Number.NEGATIVE_INFINITY ? '-Inf' : value;
}

function line(name, labels, value, timestamp) {
	return JSON.stringify({
		name,
		labels: labels ?? {},
		value: jsonValue(value),
		// eslint-disable-next-line camelcase -- the field name of the output
		timestamp_ms: timestamp === undefined ? null : Number(timestamp),
	});
}

const lines = [];
for (const family of parse(readFileSync(process.argv[2], 'utf8'))) {
	for (const metric of family.metrics) {
		if (metric.buckets) {
			for (const [le, count] of Object.entries(metric.buckets)) {
				lines.push(
					line(`${family.name}_bucket`, {...metric.labels, le}, count),
				);
			}

			lines.push(
				line(`${family.name}_count`, metric.labels, metric.count),
				line(`${family.name}_sum`, metric.labels, metric.sum),
			);
		} else if (metric.quantiles) {
			for (const [quantile, value] of Object.entries(metric.quantiles)) {
				lines.push(line(family.name, {...metric.labels, quantile}, value));
			}

			lines.push(
				line(`${family.name}_count`, metric.labels, metric.count),
				line(`${family.name}_sum`, metric.labels, metric.sum),
			);
		} else {
			lines.push(
				line(family.name, metric.labels, metric.value, metric.timestamp_ms),
			);
		}
	}
}

process.stdout.write(lines.join('\n') + '\n');
