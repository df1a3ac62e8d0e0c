import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Counter, Gauge, Histogram, Registry} from 'prom-client';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {
	type FamilyTable,
	registerFamilies,
} from '../source/simulator/family-table.js';
import {scenarios} from '../source/simulator/scenarios.js';
import {build125Buckets} from '../source/simulator/vllm-buckets.js';
import {v0Families} from '../source/simulator/vllm-v0-families.js';
import {v1Families} from '../source/simulator/vllm-v1-families.js';

/** Registers `table`, puts one observation in every family, and parses the page prom-client writes. */
async function pageOf(table: FamilyTable, scenario = scenarios.steady) {
	const registry = new Registry();
	const families = registerFamilies(table, registry, scenario);
	for (const [key, row] of Object.entries(table)) {
		const metric = (families as Record<string, unknown>)[key];
		const labels = Object.fromEntries(row.labels.map(name => [name, 'x']));
		if (metric instanceof Histogram) {
			metric.observe(labels, 1);
		} else if (metric instanceof Counter || metric instanceof Gauge) {
			metric.inc(labels, 1);
		}
	}

	const result = parseExposition(await registry.metrics(), 'text');
	assert.ok(result.ok);
	return result.page;
}

for (const [era, table] of [
	['V1', v1Families],
	['V0', v0Families],
] as const) {
	test(`every ${era} row is one family on the page, with its type, HELP, labels and buckets`, async () => {
		const scenario = scenarios.steady;
		const page = await pageOf(table, scenario);
		const onPage = Object.values(table as FamilyTable).filter(
			row => row.when?.(scenario) ?? true,
		);
		assert.deepEqual(
			[...page.families.keys()],
			onPage.map(row => row.name),
			'page order is table order',
		);
		for (const row of onPage) {
			const family = page.families.get(row.name);
			assert.ok(family, row.name);
			assert.equal(family.type, row.type, row.name);
			assert.equal(family.help, row.help, row.name);
			const sample = family.samples.find(
				s => !s.name.endsWith('_sum') && !s.name.endsWith('_count'),
			);
			assert.deepEqual(
				Object.keys(sample?.labels ?? {}).filter(name => name !== 'le'),
				[...row.labels],
				row.name,
			);
			if (row.type === 'histogram') {
				const bounds = family.samples
					.filter(s => s.name.endsWith('_bucket'))
					.map(s => Number(s.labels['le']))
					.filter(bound => Number.isFinite(bound));
				const expected =
					row.buckets === 'tokens'
						? build125Buckets(scenario.maxModelLen)
						: row.buckets;
				assert.deepEqual(bounds, expected, row.name);
			}
		}
	});
}

test('a row with `when` is left off the page when the scenario turns its feature off', async () => {
	const page = await pageOf(v1Families, scenarios.flaky);
	assert.equal(scenarios.flaky.specDecodeTokens, 0);
	assert.equal(page.families.has(v1Families.specDrafts.name), false);
	assert.equal(page.families.has(v1Families.lora.name), false);
	assert.ok(page.families.has(v1Families.running.name));
});
