import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	filterFleet,
	fleetRows,
	fleetTotals,
	nextSortKey,
	nextStatusFilter,
	sortFleet,
	worstStatus,
} from '../source/fleet/fleet-summary.js';
import {parseTargetsFile} from '../source/fleet/targets-file.js';
import type {Status} from '../source/derive/snapshot.js';
import type {TargetView} from '../source/store/target-view.js';
import {
	sampleSignals,
	sampleSnapshot,
	sampleTargetView,
	startingTargetView,
} from './support/sample-snapshot.js';

function upView(
	name: string,
	status: Status,
	running: number,
	waiting: number,
	kv: number,
	gen: number,
): TargetView {
	return sampleTargetView({
		name,
		url: `http://${name}:8000/metrics`,
		snapshot: sampleSnapshot({
			status,
			alerts: status === 'ok' ? [] : sampleSnapshot().alerts,
			signals: {
				...sampleSignals,
				requests_running: running,
				requests_waiting: waiting,
				kv_cache_usage: kv,
				generation_tokens_per_s: gen,
			},
		}),
	});
}

const fleet: TargetView[] = [
	upView('gpu-10', 'ok', 10, 0, 0.5, 100),
	upView('gpu-2', 'warn', 30, 4, 0.9, 300),
	{...startingTargetView(), name: 'gpu-3', phase: 'down'},
	upView('gpu-1', 'ok', 20, 1, 0.7, 200),
];

test('totals add running, waiting and tokens/s, average KV over reporting targets, and take the worst status', () => {
	const totals = fleetTotals(fleetRows(fleet));
	assert.equal(totals.targets, 4);
	assert.equal(totals.up, 3);
	assert.equal(totals.running, 60);
	assert.equal(totals.waiting, 5);
	assert.equal(totals.generationTokensPerS, 600);
	assert.ok(Math.abs(totals.meanKvCacheUsage! - 0.7) < 1e-9);
	assert.equal(totals.status, 'down');
	assert.equal(
		totals.alerts,
		2,
		'firing alerts count, and so does the down alert of the unreachable target',
	);
});

test('totals of an empty or all-starting fleet are zeros with no KV mean, never NaN', () => {
	const totals = fleetTotals(fleetRows([startingTargetView()]));
	assert.equal(totals.meanKvCacheUsage, null);
	assert.equal(totals.running, 0);
	assert.equal(fleetTotals([]).status, 'ok');
	assert.equal(worstStatus(['ok', 'crit', 'warn']), 'crit');
});

test('a row keeps its target index and reads the first model, badge and TTFT p95', () => {
	const rows = fleetRows(fleet);
	assert.equal(rows[1]!.index, 1);
	assert.equal(rows[1]!.badge, 'WARN');
	assert.equal(rows[1]!.model, 'meta-llama/Llama-3.1-8B-Instruct');
	assert.equal(rows[1]!.ttftP95, sampleSignals.ttft_seconds!.p95);
	assert.equal(rows[1]!.worstAlert, 'crit');
	assert.equal(rows[2]!.badge, 'DOWN');
	assert.equal(rows[2]!.running, null);
});

test('sorting: worst status first, busiest first, names in numeric order, missing values last', () => {
	const rows = fleetRows(fleet);
	const names = (key: Parameters<typeof sortFleet>[1]) =>
		sortFleet(rows, key).map(row => row.name);
	assert.deepEqual(names('status'), ['gpu-3', 'gpu-2', 'gpu-1', 'gpu-10']);
	assert.deepEqual(names('name'), ['gpu-1', 'gpu-2', 'gpu-3', 'gpu-10']);
	assert.deepEqual(names('running'), ['gpu-2', 'gpu-1', 'gpu-10', 'gpu-3']);
	assert.deepEqual(names('kv'), ['gpu-2', 'gpu-1', 'gpu-10', 'gpu-3']);
	assert.deepEqual(names('gen'), ['gpu-2', 'gpu-1', 'gpu-10', 'gpu-3']);
	assert.equal(nextSortKey('status'), 'name');
	assert.equal(nextSortKey('alerts'), 'status');
	assert.equal(rows[0]!.name, 'gpu-10', 'sorting returns a new array');
});

test('filtering by name, model, badge word and minimum status', () => {
	const rows = fleetRows(fleet);
	const names = (text: string) => filterFleet(rows, text).map(row => row.name);
	assert.deepEqual(names(''), ['gpu-10', 'gpu-2', 'gpu-3', 'gpu-1']);
	assert.deepEqual(names('GPU-1'), ['gpu-10', 'gpu-1']);
	assert.deepEqual(names('llama'), ['gpu-10', 'gpu-2', 'gpu-1']);
	assert.deepEqual(names('down'), ['gpu-3']);
	assert.deepEqual(names('status:warn'), ['gpu-2', 'gpu-3']);
	assert.deepEqual(names('status:down'), ['gpu-3']);
	assert.deepEqual(names('status:bogus'), []);
	assert.equal(nextStatusFilter(''), 'status:warn');
	assert.equal(nextStatusFilter('status:down'), '');
});

test('a targets file: list or targets mapping, defaults, api key and max-num-seqs', () => {
	const parsed = parseTargetsFile(
		[
			'targets:',
			'  - name: gpu-a',
			'    url: gpu-a:8001',
			'    api_key: sk-1',
			'    max_num_seqs: 256',
			'  - url: http://gpu-b:8000/metrics',
		].join('\n'),
		'fleet.yaml',
	);
	assert.deepEqual(parsed, {
		ok: true,
		targets: [
			{
				name: 'gpu-a',
				url: 'http://gpu-a:8001/metrics',
				base: 'http://gpu-a:8001',
				apiKey: 'sk-1',
				maxNumSeqs: 256,
			},
			{
				name: 'http://gpu-b:8000/metrics',
				url: 'http://gpu-b:8000/metrics',
				base: 'http://gpu-b:8000',
			},
		],
	});
	const bare = parseTargetsFile('- url: localhost:8000\n', 'f.yaml');
	assert.ok(bare.ok);
	assert.equal(bare.targets.length, 1);
});

test('a bad targets file is one line naming the file and the entry', () => {
	const cases: Array<[string, RegExp]> = [
		['targets: [', /^f\.yaml: not valid YAML \(line \d+\): /v],
		['', /^f\.yaml: expected a non-empty list of targets/v],
		['targets: []', /^f\.yaml: expected a non-empty list/v],
		['- name: a\n', /^f\.yaml: target 1: missing or empty 'url'/v],
		['- url: a:1\n  port: 2\n', /^f\.yaml: target 1: unknown key 'port'/v],
		['- url: a:1\n- 42\n', /^f\.yaml: target 2: expected a mapping/v],
		[
			'- url: a:1\n  max_num_seqs: -3\n',
			/^f\.yaml: target 1: 'max_num_seqs' must be a whole number/v,
		],
		['- url: "a b"\n', /^f\.yaml: target 1: invalid target URL/v],
		[
			'- {name: x, url: a:1}\n- {name: x, url: b:1}\n',
			/^f\.yaml: target 2: duplicate name 'x' \(also target 1\)/v,
		],
		['a: 1\na: 2\n', /^f\.yaml: not valid YAML/v],
	];
	for (const [text, expected] of cases) {
		const parsed = parseTargetsFile(text, 'f.yaml');
		assert.equal(parsed.ok, false, text);
		if (!parsed.ok) {
			assert.match(parsed.error, expected, text);
			assert.ok(!parsed.error.includes('\n'), `one line: ${parsed.error}`);
		}
	}
});
