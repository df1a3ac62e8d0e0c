import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {deriveSnapshot} from '../source/derive/derive-snapshot.js';
import {createSeriesCatalog} from '../source/derive/series-catalog.js';
import {parseExposition} from '../source/parse/parse-exposition.js';
import {fixturePath} from './support/fixture-path.js';

const text = readFileSync(
	fixturePath('vllm-v1-generated-dp2-specdec-lora.txt'),
	'utf8',
);
const t0 = Date.parse('2026-08-20T12:00:00.000Z');

function page() {
	const result = parseExposition(text, 'text');
	assert.ok(result.ok);
	return result.page;
}

function derive(
	memory: Parameters<typeof deriveSnapshot>[0],
	at: number,
	target: string,
) {
	return deriveSnapshot(memory, {page: page(), at, target, windowSeconds: 60});
}

test('servers with the same series share one description of each, and a memory keeps none of a page', () => {
	const first = derive(undefined, t0, 'a');
	const other = derive(undefined, t0, 'b');
	const {catalog} = first.memory;
	assert.ok(catalog.size() > 100, `${catalog.size()} series`);
	assert.equal(other.memory.catalog.size(), catalog.size());
	for (let index = 0; index < catalog.size(); index++) {
		assert.equal(
			other.memory.catalog.info(index),
			catalog.info(index),
			'one description per series, whichever server it came from',
		);
	}

	// The next page has new label objects with the same contents: the memory keeps the entries it had.
	const next = derive(first.memory, t0 + 5000, 'a');
	for (const [name, entries] of next.memory.layout) {
		assert.deepEqual(entries, first.memory.layout.get(name));
		for (const [position, entry] of entries.entries()) {
			assert.equal(entry, first.memory.layout.get(name)![position]);
			assert.equal(entry.labels, catalog.info(entry.index).labels);
		}
	}

	// Same values either way: sharing changes no result.
	assert.deepEqual(
		derive(other.memory, t0 + 5000, 'a').observation,
		next.observation,
	);
});

test('a first scrape starts from the last server’s numbering only when its page has the same series', () => {
	const full = derive(undefined, t0, 'a');
	const short = parseExposition(
		text
			.split('\n')
			.filter(line => !line.includes('engine="1"'))
			.join('\n'),
		'text',
	);
	assert.ok(short.ok);
	const alone = deriveSnapshot(undefined, {
		page: short.page,
		at: t0,
		target: 'b',
		windowSeconds: 60,
	});
	let entries = 0;
	for (const list of alone.memory.layout.values()) {
		entries += list.length;
	}

	assert.ok(alone.memory.catalog.size() < full.memory.catalog.size());
	assert.equal(
		alone.memory.catalog.size(),
		entries,
		'no slots for series this server does not have',
	);
	// The catalogs are each server's own: a series new to one is not numbered in the other.
	const again = derive(undefined, t0, 'c');
	assert.notEqual(again.memory.catalog, full.memory.catalog);
	assert.equal(again.memory.catalog.size(), full.memory.catalog.size());
});

test('a copied catalog numbers its own new series: neither the copy nor the original sees the other’s', () => {
	const original = createSeriesCatalog();
	const info = (name: string) => ({name, labels: {}, upperBound: Number.NaN});
	assert.equal(original.intern('a', info('a')), 0);
	const copy = original.copy();
	assert.equal(copy.intern('b', info('b')), 1);
	assert.equal(original.intern('c', info('c')), 1);
	assert.equal(original.indexOf('b'), undefined);
	assert.equal(copy.indexOf('c'), undefined);
	assert.equal(copy.info(1).name, 'b');
	assert.equal(original.info(1).name, 'c');
	const again = copy.copy();
	assert.equal(again.intern('d', info('d')), 2);
	assert.equal(copy.size(), 2);
	assert.equal(again.indexOf('b'), 1);
});
