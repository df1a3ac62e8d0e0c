import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import type {ExpositionFormat} from '../source/parse/page.js';
import {parseExposition} from '../source/parse/parse-exposition.js';

type GeneratedSample = {
	name: string;
	labels: Array<[string, string]>;
	value: number;
	timestampMs: number | undefined;
};

const letters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_'];
const digits = [...'0123456789'];
const identifier = (first: string[], rest: string[], maxLength: number) =>
	fc
		.tuple(
			fc.constantFrom(...first),
			fc.array(fc.constantFrom(...rest), {maxLength}),
		)
		.map(([head, tail]) => head + tail.join(''));
const metricName = identifier(
	[...letters, ':'],
	[...letters, ...digits, ':'],
	12,
);
const labelName = identifier(letters, [...letters, ...digits], 8).filter(
	name => name !== '__name__',
);
/** Label values rich in the characters that matter to the syntax, plus any Unicode. */
const labelValue = fc
	.array(
		fc.oneof(
			fc.constantFrom(
				'\\',
				'"',
				'\n',
				',',
				'{',
				'}',
				'=',
				'#',
				' ',
				'\t',
				String.raw`\n`,
				'\0',
				'le',
				'+Inf',
			),
			fc.string({unit: 'binary', maxLength: 3}),
		),
		{maxLength: 6},
	)
	.map(parts => parts.join(''));
const sampleValue = fc.oneof(
	fc.double(),
	fc.integer({min: -1e9, max: 1e9}),
	fc.constantFrom(
		Number.NaN,
		Number.POSITIVE_INFINITY,
		Number.NEGATIVE_INFINITY,
		0,
		-0,
	),
);

const generatedSample: fc.Arbitrary<GeneratedSample> = fc.record({
	name: metricName,
	labels: fc.uniqueArray(fc.tuple(labelName, labelValue), {
		selector: ([name]) => name,
		maxLength: 5,
	}),
	value: sampleValue,
	timestampMs: fc.option(fc.integer({min: 0, max: 2 ** 52}), {nil: undefined}),
});

function escapeLabelValue(value: string): string {
	return value
		.replaceAll('\\', '\\\\')
		.replaceAll('"', String.raw`\"`)
		.replaceAll('\n', String.raw`\n`);
}

function formatValue(value: number): string {
	if (Number.isNaN(value)) {
		return 'NaN';
	}

	if (value === Number.POSITIVE_INFINITY) {
		return '+Inf';
	}

	if (value === Number.NEGATIVE_INFINITY) {
		return '-Inf';
	}

	return String(value);
}

function serialise(
	samples: GeneratedSample[],
	format: ExpositionFormat,
	trailingComma: boolean,
): string {
	let page = '';
	for (const sample of samples) {
		const labels = sample.labels
			.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
			.join(',');
		const braces =
			labels.length > 0
				? `{${labels}${trailingComma ? ',' : ''}}`
				: trailingComma
					? '{}'
					: '';
		let timestamp = '';
		if (sample.timestampMs !== undefined) {
			timestamp =
				format === 'text'
					? ` ${sample.timestampMs}`
					: ` ${sample.timestampMs / 1000}`;
		}

		page += `${sample.name}${braces} ${formatValue(sample.value)}${timestamp}\n`;
	}

	return format === 'openmetrics' ? `${page}# EOF\n` : page;
}

function expectedTimestamp(
	sample: GeneratedSample,
	format: ExpositionFormat,
): number | null {
	if (sample.timestampMs === undefined) {
		return null;
	}

	return format === 'text'
		? sample.timestampMs
		: Math.trunc(Number(String(sample.timestampMs / 1000)) * 1000) + 0;
}

for (const format of ['text', 'openmetrics'] as const) {
	test(`${format}: random valid pages round-trip exactly, escapes included`, () => {
		fc.assert(
			fc.property(
				fc.array(generatedSample, {maxLength: 12}),
				fc.boolean(),
				(samples, trailingComma) => {
					const result = parseExposition(
						serialise(samples, format, trailingComma),
						format,
					);
					if (!result.ok) {
						assert.fail(`rejected at line ${result.line}: ${result.error}`);
					}

					const {page} = result;
					assert.equal(page.samples.length, samples.length);
					for (const [index, sample] of samples.entries()) {
						const got = page.samples[index]!;
						assert.equal(got.name, sample.name);
						assert.deepEqual(got.labels, Object.fromEntries(sample.labels));
						assert.ok(
							Object.is(got.value, sample.value) ||
								(got.value === 0 && sample.value === 0),
							`${got.value} vs ${sample.value}`,
						);
						assert.equal(got.timestampMs, expectedTimestamp(sample, format));
					}

					const names = new Set(samples.map(sample => sample.name));
					assert.equal(page.byName.size, names.size);
				},
			),
			{numRuns: 300},
		);
	});

	test(`${format}: arbitrary input never throws and finishes fast`, () => {
		const syntaxHeavy = fc
			.array(
				fc.oneof(
					fc.constantFrom(
						'#',
						' ',
						'\t',
						'\n',
						'{',
						'}',
						'"',
						'\\',
						'=',
						',',
						'HELP ',
						'TYPE ',
						'UNIT ',
						'EOF',
						'# {',
						'counter',
					),
					fc.constantFrom(
						'a',
						'm_total',
						':',
						'1',
						'-',
						'+Inf',
						'NaN',
						'1e3',
						'.',
						'\0',
						'\r',
						'é',
					),
				),
				{maxLength: 60},
			)
			.map(parts => parts.join(''));
		fc.assert(
			fc.property(
				fc.oneof(fc.string({unit: 'binary', maxLength: 200}), syntaxHeavy),
				text => {
					const started = performance.now();
					const result = parseExposition(text, format);
					assert.ok(performance.now() - started < 200);
					if (!result.ok) {
						assert.ok(
							result.line >= 1 && result.line <= text.split('\n').length,
							`line ${result.line}`,
						);
						assert.ok(result.error.length > 0 && !result.error.includes('\n'));
					}
				},
			),
			{numRuns: 2000},
		);
	});

	test(`${format}: one mutation of a valid page never throws`, () => {
		fc.assert(
			fc.property(
				fc.array(generatedSample, {minLength: 1, maxLength: 5}),
				fc.nat(),
				fc.constantFrom(
					'',
					'"',
					'\\',
					'{',
					'}',
					'\n',
					' ',
					',',
					'=',
					'#',
					'x',
					'\0',
				),
				(samples, at, replacement) => {
					const text = serialise(samples, format, false);
					const index = at % text.length;
					const mutated =
						text.slice(0, index) + replacement + text.slice(index + 1);
					const result = parseExposition(mutated, format);
					assert.equal(typeof result.ok, 'boolean');
				},
			),
			{numRuns: 1000},
		);
	});
}

test('hostile shapes stay linear in time', () => {
	const pages = [
		`m{${'a="b",'.repeat(50_000)}} 1\n`,
		`m{${Array.from({length: 20_000}, (_, index) => `l${index}="v"`).join(',')}} 1\n`,
		`m{a="${'x'.repeat(1_000_000)}`,
		`m{a="${String.raw`\"`.repeat(200_000)}"} 1\n`,
		'{'.repeat(100_000),
		'#'.repeat(100_000),
		'a'.repeat(1_000_000),
		'\n'.repeat(1_000_000),
		`# HELP m ${'\\'.repeat(100_000)}\n`,
		'm 1\n'.repeat(200_000),
	];
	for (const text of pages) {
		for (const format of ['text', 'openmetrics'] as const) {
			const started = performance.now();
			const result = parseExposition(text, format);
			assert.equal(typeof result.ok, 'boolean');
			assert.ok(
				performance.now() - started < 3000,
				`${text.slice(0, 20)} took too long`,
			);
		}
	}
});
