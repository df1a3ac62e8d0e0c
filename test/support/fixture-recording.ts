/**
A recording built from a fixture page, so a replay gives the same output on every run: three scrapes 5 s apart,
each later page with every counter, bucket, `_sum` and `_count` grown by the same rule (bucket order is kept), so rates,
ratios and quantiles all have something to show.
*/
import {readFileSync} from 'node:fs';
import {encodeMeta, encodeRecord} from '../../source/record/record-line.js';
import {fixturePath} from './fixture-path.js';

const start = Date.parse('2026-08-20T12:00:00.000Z');

const cumulative =
	/^([\w:]+(?:_total|_bucket|_sum|_count))({[^}]*})? (\S+)(.*)$/;

/** The page `step` scrapes later: cumulative values times `1 + step / 2`, plus `3 * step`. */
export function grownPage(page: string, step: number): string {
	return page
		.split('\n')
		.map(line => {
			const match = cumulative.exec(line);
			if (match === null) {
				return line;
			}

			const [, name = '', labels = '', value = '', rest = ''] = match;
			const number = Number(value);
			if (!Number.isFinite(number)) {
				return line;
			}

			return `${name}${labels} ${number * (1 + step / 2) + 3 * step}${rest}`;
		})
		.join('\n');
}

/** NDJSON of a recording of `fixture` served at `url`. */
export function fixtureRecording(fixture: string, url: string): string {
	const page = readFileSync(fixturePath(fixture), 'utf8');
	const lines = [
		encodeMeta({at: start, url, version: '0.11.0', healthStatus: 200}, url),
	];
	for (const step of [0, 1, 2]) {
		lines.push(
			encodeRecord(
				{
					ok: true,
					url,
					at: start + step * 5000,
					status: 200,
					durationMs: 12,
					contentType: 'text/plain; version=0.0.4; charset=utf-8',
					body: grownPage(page, step),
				},
				url,
			),
		);
	}

	return lines.join('\n') + '\n';
}
