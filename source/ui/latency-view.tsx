import {Box} from 'ink';
import {specDecodeRunning} from '../catalog/signal-types.js';
import {targetAlerts} from '../store/target-alerts.js';
import {AlertsPanel} from './alerts-panel.js';
import {Chart} from './chart.js';
import {allocateRows} from './layout.js';
import {LatencyTable, latencyRowCount} from './latency-table.js';
import {RequestLengths, requestLengths} from './request-lengths.js';
import {chartSeries, seriesLabel, seriesSpecs} from './series.js';
import {SparkRows} from './spark-rows.js';
import type {ViewProps} from './view-props.js';

const chartGap = 2;

/** The latency series the overview charts, side by side here. */
const trendIds = chartSeries('latency');

/** Latency in depth: all quantiles with prefill and decode, and the p95 trends. */
export function LatencyView({target, mode, width, rows, stepMs}: ViewProps) {
	const snapshot = target?.snapshot ?? null;
	const history = target?.history ?? null;
	const generation = snapshot?.server.generation ?? null;
	const signals = snapshot?.signals ?? null;
	const specDecode = signals !== null && specDecodeRunning(signals);
	const alerts = targetAlerts(target).filter(
		alert => alert.state !== 'resolved',
	);
	const charts = mode === 'full';
	const isDetailed = width >= 60;
	const plan = allocateRows(rows, [
		{id: 'alerts', min: 1, max: 1},
		{
			id: 'table',
			min: 5,
			max: 1 + latencyRowCount(snapshot?.signals ?? null, isDetailed),
		},
		{id: 'lengths', min: 0, max: 2},
		{id: 'trends', min: 2, max: charts ? 14 : 2},
		{id: 'more-alerts', min: 0, max: Math.max(0, alerts.length * 2 - 1)},
	]);
	const get = (id: string) => plan.get(id) ?? 0;
	const trends = get('trends');
	const half = Math.floor((width - chartGap) / 2);
	return (
		<Box flexDirection="column" width={width}>
			<LatencyTable
				isDetailed={isDetailed}
				signals={snapshot?.signals ?? null}
				generation={generation}
				width={width}
				maxRows={get('table')}
				windowSeconds={snapshot?.window_seconds}
			/>
			<RequestLengths
				{...requestLengths(snapshot?.signals ?? null)}
				width={width}
				rows={get('lengths')}
			/>
			{charts && trends >= 4 ? (
				<Box gap={chartGap}>
					{trendIds.map((id, index) => (
						<Chart
							key={id}
							title={seriesLabel(id, generation, specDecode)}
							series={[
								{
									label: seriesSpecs[id].name,
									values: history?.[id] ?? [],
									tone: seriesSpecs[id].tone,
								},
							]}
							format={seriesSpecs[id].format}
							width={index === 0 ? half : width - half - chartGap}
							rows={trends}
							min={0}
							stepMs={stepMs}
						/>
					))}
				</Box>
			) : (
				<SparkRows
					history={history}
					ids={trendIds}
					width={width}
					rows={trends}
					generation={generation}
					isSpecDecode={specDecode}
				/>
			)}
			<AlertsPanel
				alerts={alerts}
				width={width}
				rows={get('alerts') + get('more-alerts')}
				hasHints={charts}
			/>
		</Box>
	);
}
