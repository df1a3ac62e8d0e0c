/**
With speculative decoding `vllm:inter_token_latency_seconds` times engine steps that each emit several tokens: the
ITL sparkline and chart titles and the engines table's ITL column say `ITL/step`, as the latency table does; without
spec decode they keep saying `ITL`.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import type {Signals} from '../source/derive/snapshot.js';
import {EnginesTable} from '../source/ui/engines-table.js';
import {LatencyView} from '../source/ui/latency-view.js';
import {OverviewView} from '../source/ui/overview-view.js';
import {SparkRows} from '../source/ui/spark-rows.js';
import {
	sampleHistory,
	sampleSignals,
	sampleSnapshot,
	sampleTargetView,
} from './support/sample-snapshot.js';

function frameOf(element: React.JSX.Element): string {
	const {lastFrame, unmount} = render(element);
	try {
		return stripVTControlCharacters(lastFrame() ?? '');
	} finally {
		unmount();
	}
}

const specDecode: Partial<Signals> = {
	spec_decode_acceptance_rate: 0.63,
	spec_decode_mean_acceptance_length: 2.9,
	spec_decode_acceptance_by_position: {0: 0.8, 1: 0.65, 2: 0.45},
	spec_decode_draft_tokens: 200_000,
};

/** The sample server, with spec decode on its total and on each engine, or as it is. */
function snapshotWith(isSpecDecode: boolean) {
	const base = sampleSnapshot();
	const extra = isSpecDecode ? specDecode : {};
	return sampleSnapshot({
		signals: {...sampleSignals, ...extra},
		per_engine: base.per_engine.map(engine => ({
			...engine,
			signals: {...engine.signals, ...extra},
		})),
	});
}

test('sparkline rows: ITL/step p95 with spec decode, ITL p95 without, TPOT p95 on V0', () => {
	const row = (isSpecDecode: boolean, generation: 'v0' | 'v1') =>
		frameOf(
			<SparkRows
				history={sampleHistory()}
				ids={['itl_p95', 'ttft_p95']}
				width={80}
				rows={2}
				generation={generation}
				isSpecDecode={isSpecDecode}
			/>,
		);
	assert.match(row(true, 'v1'), /^ITL\/step p95 /mv);
	assert.match(row(true, 'v1'), /^TTFT p95 /mv, 'other rows keep their name');
	assert.match(row(false, 'v1'), /^ITL p95 /mv);
	assert.match(row(false, 'v0'), /^TPOT p95 /mv);
});

test('engines table: the ITL column is ITL/step p95 with spec decode', () => {
	const table = (isSpecDecode: boolean) =>
		frameOf(
			<EnginesTable
				snapshot={snapshotWith(isSpecDecode)}
				width={100}
				maxRows={8}
			/>,
		);
	assert.match(table(true), /^engine .* ITL\/step p95/mv);
	assert.match(table(false), /^engine .* ITL p95/mv);
	assert.doesNotMatch(table(false), /ITL\/step/v);
});

test('overview and latency view: the ITL chart and sparkline titles say per step with spec decode', () => {
	for (const [isSpecDecode, title] of [
		[true, /ITL\/step p95/v],
		[false, /ITL p95/v],
	] as const) {
		const target = sampleTargetView({snapshot: snapshotWith(isSpecDecode)});
		// Tall enough for the latency charts, with their titles.
		const overview = frameOf(
			<OverviewView target={target} mode="full" width={120} rows={44} />,
		);
		assert.match(overview, title, overview);
		const compact = frameOf(
			<OverviewView target={target} mode="compact" width={80} rows={24} />,
		);
		assert.match(compact, title, compact);
		const latency = frameOf(
			<LatencyView target={target} mode="full" width={100} rows={30} />,
		);
		assert.match(latency, title, latency);
		if (!isSpecDecode) {
			assert.doesNotMatch(`${overview}${compact}${latency}`, /ITL\/step/v);
		}
	}
});
