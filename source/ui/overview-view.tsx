import {Box} from 'ink';
import {signalCatalog} from '../catalog/signals.js';
import {specDecodeRunning} from '../catalog/signal-types.js';
import {spreadParts} from '../format/spread-text.js';
import type {Snapshot} from '../pipeline/snapshot.js';
import type {SeriesId} from '../store/target-view.js';
import {targetAlerts} from '../store/target-alerts.js';
import {AlertsPanel} from './alerts-panel.js';
import {CapacityLine} from './capacity-line.js';
import {Chart} from './chart.js';
import {EngineSpreadLine} from './engine-spread-line.js';
import {GpuRows, gpuMinimumRows, gpuRowCount} from './gpu-rows.js';
import {allocateRows, type SectionRequest} from './layout.js';
import {LatencyTable, latencyRowCount} from './latency-table.js';
import {CacheHitsLine, hasCacheHits} from './cache-hits-line.js';
import {
	chartSeries,
	seriesLabel,
	seriesSpecs,
	shownSeries,
	sparkOrder,
} from './series.js';
import {EnginesTable} from './engines-table.js';
import {SparkRows} from './spark-rows.js';
import {useDisplay} from './display-context.js';
import {useThresholds} from './thresholds-context.js';
import type {ViewProps} from './view-props.js';

const chartGap = 2;

/** Body rows from which the overview shows the engines table too (a 250x70 terminal has about 64). */
const roomyRows = 44;

/** The engines table in full: the LoRA line, then each table's header and rows. */
function enginesTableRows(snapshot: Snapshot): number {
	const models = snapshot.per_model.length;
	return 1 + 1 + snapshot.per_engine.length + (models > 0 ? 1 + models : 0);
}

/** The default view: throughput, KV cache, queue and latency trends, latency quantiles, capacity and alerts. */
export function OverviewView({
	target,
	gpu,
	mode,
	width,
	rows,
	stepMs,
}: ViewProps) {
	const thresholds = useThresholds();
	const {ascii} = useDisplay();
	const snapshot = target?.snapshot ?? null;
	const spread = spreadParts(
		snapshot?.engine_spread ?? null,
		signalCatalog,
		ascii,
	);
	const history = target?.history ?? null;
	const generation = snapshot?.server.generation ?? null;
	/** A series of one generation shows on it, or on any server once it has had a value. */
	const hasHadValue = (id: SeriesId) =>
		history?.[id].some(value => value !== null) ?? false;
	const applies = (id: SeriesId) =>
		seriesSpecs[id].onlyOn === undefined ||
		seriesSpecs[id].onlyOn === generation ||
		hasHadValue(id);
	const signals = snapshot?.signals ?? null;
	const specDecode = signals !== null && specDecodeRunning(signals);
	const cacheHitRows = hasCacheHits(signals) ? 1 : 0;
	// The header row and one row per latency signal shown.
	const latencyRows = 1 + latencyRowCount(signals, false);
	const alerts = targetAlerts(target).filter(
		alert => alert.state !== 'resolved',
	);
	// In full mode an alert may take three rows: itself, its hint, and the hint's second row.
	const alertRows = Math.max(1, alerts.length * (mode === 'full' ? 3 : 1));
	// A tall terminal gives the charts its height instead of leaving it blank.
	const tall = Math.max(6, Math.floor(rows / 5));
	// A large terminal also has room for the engines table, after the charts, trends and latency have theirs.
	const engineRows =
		rows >= roomyRows && snapshot ? enginesTableRows(snapshot) : 0;
	const plan = (charts: boolean, latencyCharts: boolean) => {
		// A series drawn in a chart is no sparkline as well.
		const ids = shownSeries(sparkOrder, hasHadValue).filter(id => {
			const {chart} = seriesSpecs[id];
			const inChart =
				chart === undefined
					? false
					: chart === 'latency'
						? latencyCharts
						: charts;
			return !inChart && applies(id);
		});
		const requests: SectionRequest[] = [
			{id: 'alerts', min: 1, max: 1},
			{id: 'spread', min: 1, max: spread.length > 0 ? 1 : 0},
			{id: 'gpus', min: gpuMinimumRows(gpu), max: gpuRowCount(gpu)},
			{id: 'charts', min: charts ? 4 : 0, max: charts ? tall : 0},
			// Rows left over go to the alerts below the first before more sparklines.
			{id: 'more-alerts', min: 0, max: Math.min(8, alertRows - 1)},
			{id: 'sparks', min: Math.min(3, ids.length), max: ids.length},
			{id: 'latency', min: latencyRows, max: latencyRows},
			{id: 'capacity', min: 1, max: 1},
			{id: 'cache-hits', min: cacheHitRows, max: cacheHitRows},
			{id: 'engines', min: Math.min(4, engineRows), max: engineRows},
			{
				id: 'latency-charts',
				min: latencyCharts ? 6 : 0,
				max: latencyCharts ? Math.max(10, tall) : 0,
			},
			{id: 'more-charts', min: 0, max: charts ? tall : 0},
		];
		return {ids, rows: allocateRows(rows, requests)};
	};

	const wantCharts = mode === 'full';
	let layout = plan(wantCharts, wantCharts && rows >= 30);
	if (wantCharts && !layout.rows.get('latency-charts') && rows >= 30) {
		layout = plan(true, false);
	}

	if (wantCharts && !layout.rows.get('charts')) {
		layout = plan(false, false);
	}

	const get = (id: string) => layout.rows.get(id) ?? 0;
	const chartRows = get('charts') + get('more-charts');
	const latencyChartRows = get('latency-charts');
	const half = Math.floor((width - chartGap) / 2);
	const seriesOf = (id: SeriesId) => ({
		label: seriesSpecs[id].label,
		values: history?.[id] ?? [],
		tone: seriesSpecs[id].tone,
	});
	const tokens = shownSeries(chartSeries('tokens'), hasHadValue);
	const [kv] = chartSeries('kv');
	return (
		<Box flexDirection="column" width={width}>
			{chartRows > 0 && tokens[0] !== undefined && kv !== undefined ? (
				<Box gap={chartGap}>
					<Chart
						title="Tokens/s"
						series={tokens.map(id => ({
							...seriesOf(id),
							label: seriesSpecs[id].chartLabel ?? seriesSpecs[id].label,
						}))}
						format={seriesSpecs[tokens[0]].format}
						width={half}
						rows={chartRows}
						min={0}
						stepMs={stepMs}
					/>
					<Chart
						title={seriesSpecs[kv].label}
						series={[seriesOf(kv)]}
						format={seriesSpecs[kv].format}
						width={width - half - chartGap}
						rows={chartRows}
						min={seriesSpecs[kv].min}
						max={seriesSpecs[kv].max}
						markAt={thresholds.kv_cache_pressure.value}
						stepMs={stepMs}
					/>
				</Box>
			) : null}
			{latencyChartRows > 0 ? (
				<Box gap={chartGap}>
					{chartSeries('latency').map((id, index) => (
						<Chart
							key={id}
							title={seriesLabel(id, generation, specDecode)}
							series={[seriesOf(id)]}
							format={seriesSpecs[id].format}
							width={index === 0 ? half : width - half - chartGap}
							rows={latencyChartRows}
							min={0}
							stepMs={stepMs}
						/>
					))}
				</Box>
			) : null}
			<SparkRows
				history={history}
				ids={layout.ids}
				width={width}
				rows={get('sparks')}
				generation={generation}
				isSpecDecode={specDecode}
			/>
			<GpuRows panel={gpu} width={width} rows={get('gpus')} />
			{get('latency') > 0 ? (
				<LatencyTable
					signals={signals}
					generation={generation}
					width={width}
					maxRows={get('latency')}
					windowSeconds={snapshot?.window_seconds}
				/>
			) : null}
			<EngineSpreadLine parts={spread} width={width} rows={get('spread')} />
			<EnginesTable
				snapshot={snapshot}
				width={width}
				maxRows={get('engines')}
			/>
			<CapacityLine
				capacity={snapshot?.capacity ?? null}
				width={width}
				rows={get('capacity')}
			/>
			{get('cache-hits') > 0 ? (
				<CacheHitsLine signals={signals} width={width} />
			) : null}
			<AlertsPanel
				alerts={alerts}
				width={width}
				rows={get('alerts') + get('more-alerts')}
				hasHints={mode === 'full'}
			/>
		</Box>
	);
}
