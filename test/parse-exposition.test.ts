import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import type {ExpositionFormat, Page, Sample} from '../source/parse/page.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {formatFromContentType} from '../source/parse/format-from-content-type.js';
import {fixturePath} from './support/fixture-path.js';

const fixture = (name: string) =>
	readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

function parsed(text: string, format: ExpositionFormat = 'text'): Page {
	const result = parseExposition(text, format);
	if (!result.ok) {
		assert.fail(`rejected at line ${result.line}: ${result.error}`);
	}

	return result.page;
}

function rejected(
	text: string,
	format: ExpositionFormat = 'text',
): {error: string; line: number} {
	const result = parseExposition(text, format);
	if (result.ok) {
		assert.fail(`accepted ${JSON.stringify(text)}`);
	}

	assert.ok(!result.error.includes('\n'), 'the reason is one line');
	return {error: result.error, line: result.line};
}

function only(page: Page): Sample {
	assert.equal(page.samples.length, 1);
	return page.samples[0]!;
}

test('text: values in every Go float spelling Prometheus accepts', () => {
	const cases: Array<[string, number]> = [
		['1', 1],
		['-1', -1],
		['+1', 1],
		['1.5', 1.5],
		['.5', 0.5],
		['5.', 5],
		['1e3', 1000],
		['1E+3', 1000],
		['2.5e-3', 0.0025],
		['1.7953742553394396e+09', 1_795_374_255.339_439_6],
		['Inf', Number.POSITIVE_INFINITY],
		['+inf', Number.POSITIVE_INFINITY],
		['-Inf', Number.NEGATIVE_INFINITY],
		['+Infinity', Number.POSITIVE_INFINITY],
		['-INFINITY', Number.NEGATIVE_INFINITY],
		['0.1', 0.1],
		[
			'123456789012345678901234567890',
			Number('123456789012345678901234567890'),
		],
		['1e-400', 0],
	];
	for (const [spelling, expected] of cases) {
		assert.equal(only(parsed(`m ${spelling}\n`)).value, expected, spelling);
	}

	for (const spelling of ['NaN', 'nan', 'Nan', 'NAN']) {
		assert.ok(Number.isNaN(only(parsed(`m ${spelling}\n`)).value), spelling);
	}
});

test('text: bad floats are rejected with the line number', () => {
	for (const spelling of [
		'0x1p3',
		'0x10',
		'1_000',
		'+NaN',
		'-nan',
		'infin',
		'1e',
		'1e+',
		'.',
		'-',
		'e5',
		'1.2.3',
		'abc',
		'1e400',
		'"1"',
	]) {
		const {error, line} = rejected(`ok 1\nm ${spelling}\n`);
		assert.equal(line, 2, spelling);
		assert.ok(error.includes('invalid value'), spelling);
	}
});

test('text: timestamps are integer milliseconds; anything else after the value is rejected', () => {
	assert.equal(
		only(parsed('m 1 1700000000000\n')).timestampMs,
		1_700_000_000_000,
	);
	assert.equal(only(parsed('m 1\t 42 \t\n')).timestampMs, 42);
	assert.equal(
		only(parsed('m 1')).timestampMs,
		null,
		'the last line needs no newline',
	);
	assert.equal(
		only(parsed('m 1 9223372036854775807\n')).timestampMs,
		Number(9_223_372_036_854_775_807n),
	);
	for (const [line, reason] of [
		['m 1 -5', 'after the value'],
		['m 1 1.5', 'after the timestamp'],
		['m 1 2 3', 'after the timestamp'],
		['m 1 12abc', 'after the timestamp'],
		['m 1 junk', 'after the value'],
		['m 1 9223372036854775808', 'out of range'],
		['m 1{a="b"}', 'after the value'],
	] as const) {
		const result = rejected(`a 1\n\n${line}\n`);
		assert.equal(result.line, 3, line);
		assert.ok(result.error.includes(reason), `${line}: ${result.error}`);
	}
});

test('text: label escapes, UTF-8 and characters that look like syntax inside values', () => {
	const page = parsed(fixture('tricky.prom'));
	const weird = page.byName.get('vllm:weird_labels')!;
	assert.deepEqual(weird[0]!.labels, {
		path: String.raw`C:\DIR\FILE.TXT`,
		quoted: 'say "hi"',
		multi: 'a\nb',
	});
	assert.deepEqual(weird[1]!.labels, {path: 'x,y}', eq: 'c=d # e', brace: '{'});
	assert.deepEqual(weird[2]!.labels, {path: 'δοκιμή ✓', eq: '', brace: '}'});
	assert.equal(
		page.families.get('vllm:weird_labels')!.help,
		'Label values with \\ and \n escapes.',
	);
	assert.deepEqual(page.byName.get('empty_braces')![0]!.labels, {});
	assert.deepEqual(page.byName.get('tabbed_sample')![0], {
		name: 'tabbed_sample',
		labels: {a: '1', b: '2'},
		value: 5,
		timestampMs: 1_700_000_000_000,
	});
	assert.ok(Number.isNaN(page.byName.get('prom_client_nan')![0]!.value));
	assert.equal(page.byName.get('neg_inf')![0]!.value, Number.NEGATIVE_INFINITY);
	assert.equal(page.byName.get('ts_sample')![0]!.timestampMs, 123);
	assert.deepEqual(page.byName.get('utf8.metric.name')![0]!.labels, {
		'label.with.dots': 'v',
	});
	assert.equal(page.samples.length, 24);
});

test('text: an unknown escape is kept as written, as Prometheus does', () => {
	assert.deepEqual(only(parsed('m{a="x\\qy\\\\n"} 1\n')).labels, {
		a: String.raw`x\qy\n`,
	});
});

test("text: a raw newline inside a quoted label value is part of the value (Prometheus' lexer allows it)", () => {
	const page = parsed('m{a="one\ntwo"} 1\n');
	assert.equal(page.samples[0]!.labels['a'], 'one\ntwo');
	assert.equal(
		rejected('m{a="one\ntwo"} 1\nbad\n').line,
		3,
		'line numbers count the newline inside the value',
	);
});

test('text: label names that would break a naive object are ordinary keys', () => {
	const sample = only(
		parsed('m{__proto__="p",constructor="c",toString="t"} 1\n'),
	);
	assert.deepEqual(Object.keys(sample.labels), [
		'__proto__',
		'constructor',
		'toString',
	]);
	assert.equal(
		Object.getOwnPropertyDescriptor(sample.labels, '__proto__')?.value,
		'p',
	);
	assert.equal(Object.getPrototypeOf(sample.labels), Object.prototype);
});

test('text: trailing comma, blanks between tokens, missing commas (all accepted by promparse)', () => {
	assert.deepEqual(only(parsed('m{a="1",} 1\n')).labels, {a: '1'});
	assert.deepEqual(only(parsed('m { a = "1" , b = "2" , } 1\n')).labels, {
		a: '1',
		b: '2',
	});
	assert.deepEqual(only(parsed('m{a="1" b="2"} 1\n')).labels, {a: '1', b: '2'});
	assert.deepEqual(only(parsed('m{a="1"}1\n')).value, 1);
});

test('text: comments, blank lines and NUL at the start of a line', () => {
	const page = parsed(
		'# just a comment\n#also\n\n \t \n# HELP\n# TYPEX y\nm 1\n\0garbage that is never read\n',
	);
	assert.equal(only(page).name, 'm');
});

test(
	String.raw`text: HELP text keeps everything after the first separator and unescapes \\ and \n only`,
	() => {
		const page = parsed(
			'# HELP m  two  spaces \\"q\\" \\\\ \\n end\n# HELP blank\t \n# HELP bare\nm 1\nblank 1\nbare 1\n',
		);
		assert.equal(
			page.families.get('m')!.help,
			' two  spaces \\"q\\" \\ \n end',
		);
		assert.equal(page.families.get('blank')!.help, '');
		assert.equal(page.families.get('bare')!.help, '');
	},
);

test('text: rejections with reason and line', () => {
	const cases: Array<[page: string, line: number, reason: string]> = [
		['1abc 2\n', 1, 'start of line'],
		['ok 1\n-x 2\n', 2, 'start of line'],
		['ok 1\nabc-def 1\n', 2, 'invalid metric name "abc-def"'],
		['m\n', 1, 'missing value'],
		['m{a="1"}\n', 1, 'missing value'],
		['m{a="1"} \n', 1, 'missing value'],
		['ok 1\nm{a="1} 1\n', 2, 'unterminated'],
		['m{a="x\\\n"} 1\n', 1, 'bad escape'],
		['m{a="1",a="2"} 1\n', 1, 'duplicate label name "a"'],
		['m{__name__="x"} 1\n', 1, '__name__'],
		['m{1a="1"} 1\n', 1, 'label name'],
		['m{a-b="1"} 1\n', 1, 'expected "=" after label name "a"'],
		['m{a=1} 1\n', 1, 'quoted value'],
		['m{a="1",,b="2"} 1\n', 1, 'label name'],
		['m{a="1"\n', 1, 'label name'],
		['m{a="1"', 1, 'unterminated label set'],
		['m{""="x"} 1\n', 1, 'invalid label name'],
		['{a="1"} 1\n', 1, 'metric name not set'],
		['{""} 1\n', 1, 'invalid metric name'],
		['m{"n"} 1\n', 1, 'metric name already set'],
		['m 1 2 x\n', 1, 'after the timestamp'],
		['m 1 # comment\n', 1, 'after the value'],
		['m 1\r\n', 1, 'carriage return'],
		['# TYPE m gauges\n', 1, 'invalid metric type "gauges"'],
		['# TYPE m unknown\n', 1, 'invalid metric type "unknown"'],
		['# TYPE m  gauge\n', 1, 'invalid metric type " gauge"'],
		['# TYPE m gauge \n', 1, 'invalid metric type "gauge "'],
		['# HELP 1m text\n', 1, 'expected a metric name after # HELP'],
		['# TYPE \n', 1, 'expected a metric name after # TYPE'],
		['m{a="\nb', 1, 'unterminated'],
	];
	for (const [page, line, reason] of cases) {
		const result = rejected(page);
		assert.equal(result.line, line, page);
		assert.ok(result.error.includes(reason), `${page}: ${result.error}`);
	}
});

test('text: histogram and summary samples in any order join their family; counters with and without _total', () => {
	const page = parsed(fixture('tricky.prom'));
	const histogram = page.families.get('http_request_duration_seconds')!;
	assert.equal(histogram.type, 'histogram');
	assert.deepEqual(
		histogram.samples.map(sample => sample.name),
		[
			'http_request_duration_seconds_sum',
			'http_request_duration_seconds_count',
			'http_request_duration_seconds_bucket',
			'http_request_duration_seconds_bucket',
		],
	);
	const summary = page.families.get('rpc_latency')!;
	assert.equal(summary.type, 'summary');
	assert.equal(summary.samples.length, 4);
	// prometheus_client: the TYPE line names the sample itself.
	assert.equal(page.families.get('vllm:prompt_tokens_total')!.type, 'counter');
	assert.equal(
		page.families.get('vllm:prompt_tokens_total')!.samples[0]!.value,
		42,
	);
	assert.equal(page.families.get('vllm:prompt_tokens_created')!.type, 'gauge');
	// Go client style: TYPE without _total, sample with it.
	assert.equal(
		page.families.get('legacy_counter')!.samples[0]!.name,
		'legacy_counter_total',
	);
	assert.equal(page.families.has('legacy_counter_total'), false);
	assert.equal(page.families.get('untyped_sample')!.type, 'untyped');
	assert.deepEqual(
		page.byName
			.get('http_request_duration_seconds_bucket')!
			.map(sample => sample.labels['le']),
		['0.1', '+Inf'],
	);
});

test('text: every sample is in exactly one family and in byName, in page order', () => {
	for (const page of [
		parsed(fixture('tricky.prom')),
		parsed(
			readFileSync(
				fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'),
				'utf8',
			),
		),
	]) {
		const inFamilies = [...page.families.values()].flatMap(
			family => family.samples,
		);
		assert.equal(inFamilies.length, page.samples.length);
		assert.equal(new Set(inFamilies).size, page.samples.length);
		const inByName = [...page.byName.values()].flat();
		assert.equal(inByName.length, page.samples.length);
		for (const [name, samples] of page.byName) {
			assert.ok(samples.every(sample => sample.name === name));
			const order = samples.map(sample => page.samples.indexOf(sample));
			assert.deepEqual(
				order,
				order.toSorted((a, b) => a - b),
			);
		}
	}
});

test('openmetrics: families, units, exemplars, float-second timestamps and # EOF', () => {
	const page = parsed(fixture('tricky-openmetrics.prom'), 'openmetrics');
	const counter = page.families.get('vllm:prompt_tokens')!;
	assert.equal(counter.type, 'counter');
	assert.equal(counter.unit, 'tokens');
	assert.equal(counter.help, String.raw`Number of "prefill" tokens\processed.`);
	assert.deepEqual(
		counter.samples.map(sample => [sample.name, sample.value]),
		[
			['vllm:prompt_tokens_total', 5],
			['vllm:prompt_tokens_created', 1_795_374_000.5],
		],
	);
	assert.equal(
		page.families.get('vllm:time_to_first_token_seconds')!.samples.length,
		5,
	);
	assert.equal(page.families.get('build')!.type, 'info');
	assert.equal(page.byName.get('build_info')![0]!.labels['path'], 'a\\"b\nc');
	assert.equal(page.families.get('state')!.type, 'stateset');
	assert.equal(page.families.get('queue')!.samples.length, 4);
	assert.equal(page.families.get('mystery')!.type, 'unknown');
	assert.equal(page.byName.get('mystery')![0]!.timestampMs, 1_700_000_000_123);
	assert.equal(page.samples.length, 15);
	assert.equal(
		only(parsed('m 1 -1.5\n# EOF', 'openmetrics')).timestampMs,
		-1500,
	);
	assert.equal(
		only(parsed('m 1 0.0001\n# EOF\n', 'openmetrics')).timestampMs,
		0,
	);
	assert.equal(
		only(parsed('m{a="1",} 1\n# EOF\n', 'openmetrics')).labels['a'],
		'1',
	);
	assert.equal(parsed('# EOF', 'openmetrics').samples.length, 0);
});

test('openmetrics: rejections with reason and line', () => {
	const cases: Array<[page: string, line: number, reason: string]> = [
		['m 1\n', 1, '# EOF'],
		['', 1, '# EOF'],
		['m 1', 1, '# EOF'],
		['m 1\n# EOF\nm 2\n', 3, 'after "# EOF"'],
		['# EOF\n\n', 2, 'after "# EOF"'],
		['m 1\n\nn 2\n# EOF\n', 2, 'empty line'],
		['# a comment\n# EOF\n', 1, 'no comments'],
		['#EOF\n', 1, 'no comments'],
		[' m 1\n# EOF\n', 1, 'start of line'],
		['m  1\n# EOF\n', 1, 'missing value'],
		['m\t1\n# EOF\n', 1, 'single space'],
		['m 1 \n# EOF\n', 1, 'exactly one space'],
		['m{a="1", b="2"} 1\n# EOF\n', 1, 'label name'],
		['m{a="1" ,b="2"} 1\n# EOF\n', 1, '"," or "}"'],
		['m{a="1"b="2"} 1\n# EOF\n', 1, '"," or "}"'],
		['m{a="x\ny"} 1\n# EOF\n', 1, 'unterminated'],
		['m 1 NaN\n# EOF\n', 1, 'finite'],
		['m 1 +Inf\n# EOF\n', 1, 'finite'],
		['m 1 x\n# EOF\n', 1, 'invalid timestamp'],
		['m 1 1 1\n# EOF\n', 1, 'end of line'],
		['m 1 # {a="b"}\n# EOF\n', 1, 'exemplar'],
		['m 1 # {a="b"} x\n# EOF\n', 1, 'invalid exemplar value'],
		['m 1 # {a="b"} 1 NaN\n# EOF\n', 1, 'finite'],
		['m 1 # {"name"} 1\n# EOF\n', 1, 'metric name'],
		['m 1 # {a="b"} 1 2 3\n# EOF\n', 1, 'after the exemplar timestamp'],
		['m 1 # {a="b"} 1', 1, '# EOF'],
		['# TYPE m untyped\n# EOF\n', 1, 'invalid metric type "untyped"'],
		['# TYPE m\n# EOF\n', 1, 'space and text'],
		['# HELP m text', 1, 'space and text'],
		['# UNIT m_seconds bytes\n# EOF\n', 1, 'not a suffix'],
		['# UNIT seconds seconds\n# EOF\n', 1, 'not a suffix'],
		['m 1\r\n# EOF\n', 1, 'carriage return'],
		['ok 1\nm{a="1",a="1"} 1\n# EOF\n', 2, 'duplicate label name'],
	];
	for (const [page, line, reason] of cases) {
		const result = rejected(page, 'openmetrics');
		assert.equal(result.line, line, page);
		assert.ok(result.error.includes(reason), `${page}: ${result.error}`);
	}
});

test('openmetrics: a page that is only valid as text, and the reverse', () => {
	const text = '# a comment\nm 1\n';
	assert.equal(parsed(text).samples.length, 1);
	rejected(text, 'openmetrics');
	// A text-format parser sees "# EOF" as a comment, and an exemplar as junk after the value.
	rejected('m 1 # {a="b"} 1\n# EOF\n', 'text');
});

test('V0 fixture (real vLLM page): values, families and histogram grouping', () => {
	const page = parsed(readFileSync(fixturePath('vllm-v0-opt125m.txt'), 'utf8'));
	assert.equal(page.families.size, 29);
	assert.equal(page.samples.length, 120);
	const gpuCache = page.byName.get('vllm:gpu_cache_usage_perc')!;
	assert.deepEqual(gpuCache, [
		{
			name: 'vllm:gpu_cache_usage_perc',
			labels: {model_name: 'facebook/opt-125m'},
			value: 0,
			timestampMs: null,
		},
	]);
	assert.equal(
		page.byName.get('vllm:request_success_total')![0]!.labels[
			'finished_reason'
		],
		'length',
	);
	assert.equal(page.byName.get('vllm:request_success_total')![0]!.value, 1);
	assert.equal(
		page.byName.get('vllm:cache_config_info')![0]!.labels['num_gpu_blocks'],
		'7281',
	);
	assert.equal(
		page.byName.get('process_start_time_seconds')![0]!.value,
		1_718_140_558.3,
	);
	const ttft = page.families.get('vllm:time_to_first_token_seconds')!;
	assert.equal(ttft.type, 'histogram');
	const buckets = ttft.samples.filter(sample =>
		sample.name.endsWith('_bucket'),
	);
	assert.equal(buckets.at(-1)!.labels['le'], '+Inf');
	assert.equal(ttft.samples.length, buckets.length + 2);
	assert.ok(
		ttft.samples.some(
			sample => sample.name === 'vllm:time_to_first_token_seconds_count',
		),
	);
	assert.ok(
		ttft.samples.some(
			sample => sample.name === 'vllm:time_to_first_token_seconds_sum',
		),
	);
	assert.ok(
		[...page.families.values()].every(family => family.type !== 'untyped'),
	);
	const promptLength = page.families.get('vllm:request_prompt_tokens')!;
	assert.equal(
		promptLength.samples
			.filter(sample => sample.name.endsWith('_bucket'))
			.at(-2)!.labels['le'],
		'2000.0',
	);
});

test('V1 fixture (generated vLLM page): data-parallel engines, _created gauges, LoRA info', () => {
	const page = parsed(
		readFileSync(fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'), 'utf8'),
	);
	assert.equal(page.families.size, 89);
	assert.equal(page.samples.length, 807);
	const kvUsage = page.byName.get('vllm:kv_cache_usage_perc')!;
	assert.deepEqual(
		kvUsage.map(sample => sample.labels['engine']),
		['0', '1'],
	);
	assert.ok(kvUsage.every(sample => sample.value >= 0 && sample.value <= 1));
	assert.equal(page.families.get('vllm:prompt_tokens_total')!.type, 'counter');
	assert.equal(page.families.get('vllm:prompt_tokens_created')!.type, 'gauge');
	const itl = page.families.get('vllm:iteration_tokens_total')!;
	assert.equal(itl.type, 'histogram');
	assert.ok(
		itl.samples.every(sample =>
			sample.name.startsWith('vllm:iteration_tokens_total_'),
		),
	);
	const ttft = page.families.get('vllm:time_to_first_token_seconds')!;
	assert.equal(ttft.samples.length, 50);
	assert.deepEqual(
		ttft.samples
			.filter(
				sample =>
					sample.name.endsWith('_bucket') && sample.labels['engine'] === '0',
			)
			.map(sample => sample.labels['le']),
		[
			'0.001',
			'0.005',
			'0.01',
			'0.02',
			'0.04',
			'0.06',
			'0.08',
			'0.1',
			'0.25',
			'0.5',
			'0.75',
			'1.0',
			'2.5',
			'5.0',
			'7.5',
			'10.0',
			'20.0',
			'40.0',
			'80.0',
			'160.0',
			'640.0',
			'2560.0',
			'+Inf',
		],
	);
	const lora = page.byName.get('vllm:lora_requests_info')![0]!;
	assert.equal(lora.labels['running_lora_adapters'], 'sql-lora,chat-lora');
	assert.equal(lora.labels['waiting_lora_adapters'], '');
	assert.equal(page.byName.get('vllm:request_success_total')!.length, 10);
});

test('content type picks the format', () => {
	assert.equal(formatFromContentType(undefined), 'text');
	assert.equal(
		formatFromContentType('text/plain; version=0.0.4; charset=utf-8'),
		'text',
	);
	assert.equal(
		formatFromContentType(
			'application/openmetrics-text; version=1.0.0; charset=utf-8',
		),
		'openmetrics',
	);
	assert.equal(
		formatFromContentType(' Application/OpenMetrics-Text '),
		'openmetrics',
	);
	assert.equal(formatFromContentType('application/json'), 'text');
});

test('a repeated TYPE line is accepted, as Prometheus accepts it: the later one holds', () => {
	const page = parsed('# TYPE m gauge\nm 1\n# TYPE m counter\nm 2\n');
	assert.equal(page.families.get('m')?.type, 'counter');
	assert.deepEqual(
		page.families.get('m')?.samples.map(sample => sample.value),
		[1, 2],
	);
});
