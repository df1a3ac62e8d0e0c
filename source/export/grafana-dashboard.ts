/**
The dashboard as Grafana's JSON model, built with Grafana's own typed builders (`@grafana/grafana-foundation-sdk`)
from the panel list: variables for the data source, the servers and the models; each alert threshold drawn as a
dashed line in the colour the terminal view gives its severity.
*/
import {
	GraphThresholdsStyleConfigBuilder,
	GraphThresholdsStyleMode,
} from '@grafana/grafana-foundation-sdk/common';
import {
	DashboardBuilder,
	DatasourceVariableBuilder,
	QueryVariableBuilder,
	ThresholdsConfigBuilder,
	ThresholdsMode,
	VariableRefresh,
	type Dashboard,
	type GridPos,
	type Threshold,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {DataqueryBuilder} from '@grafana/grafana-foundation-sdk/prometheus';
import {PanelBuilder} from '@grafana/grafana-foundation-sdk/timeseries';
import type {AlertConfig} from '../alerts/alert-config.js';
import type {Severity} from '../alerts/alert.js';
import {vllmLabel} from '../catalog/vllm-metrics.js';
import {matcherBody} from '../prometheus/panel-queries.js';
import {
	dashboardPanels,
	dashboardVariables,
	discoveryMetric,
	type DashboardOptions,
	type PanelSpec,
	type PanelThreshold,
} from './dashboard-panels.js';

/** The view's tones (`ui/theme.ts`) in Grafana's colour names. */
const severityColour: Readonly<Record<Severity, string>> = {
	info: 'blue',
	warn: 'yellow',
	crit: 'red',
};

const datasource = {
	type: 'prometheus',
	uid: `\${${dashboardVariables.datasource}}`,
};

function steps(threshold: PanelThreshold): Threshold[] {
	const colour = severityColour[threshold.severity];
	return threshold.direction === 'above'
		? [
				{value: null, color: 'green'},
				{value: threshold.value, color: colour},
			]
		: [
				{value: null, color: colour},
				{value: threshold.value, color: 'green'},
			];
}

function panelBuilder(spec: PanelSpec, gridPos: GridPos) {
	const panel = new PanelBuilder()
		.title(spec.title)
		.description(spec.description)
		.datasource(datasource)
		.unit(spec.unit)
		.gridPos(gridPos)
		.targets(
			spec.queries.map(query =>
				new DataqueryBuilder()
					.datasource(datasource)
					.refId(query.refId)
					.expr(query.expr)
					.legendFormat(query.legend)
					.range(),
			),
		);
	// One series: the panel's thresholds. Several (TTFT and ITL in one panel): each threshold on its own series.
	const [first, ...others] =
		spec.queries.length === 1
			? spec.thresholds
			: [undefined, ...spec.thresholds];
	if (first !== undefined) {
		panel
			.thresholds(
				new ThresholdsConfigBuilder()
					.mode(ThresholdsMode.Absolute)
					.steps(steps(first)),
			)
			.thresholdsStyle(
				new GraphThresholdsStyleConfigBuilder().mode(
					GraphThresholdsStyleMode.Dashed,
				),
			);
	}

	for (const threshold of others) {
		if (threshold === undefined) {
			continue;
		}

		panel.overrideByQuery(threshold.refId, [
			{
				id: 'thresholds',
				value: {mode: ThresholdsMode.Absolute, steps: steps(threshold)},
			},
			{
				id: 'custom.thresholdsStyle',
				value: {mode: GraphThresholdsStyleMode.Dashed},
			},
		]);
	}

	return panel;
}

function variables(options: DashboardOptions) {
	const body = matcherBody(options.match);
	const by = options.by ?? 'instance';
	const servers = new QueryVariableBuilder(dashboardVariables.instance)
		.label('Server')
		.datasource(datasource)
		.query(`label_values(${discoveryMetric}{${body}}, ${by})`)
		.refresh(VariableRefresh.OnTimeRangeChanged)
		.multi(true)
		.includeAll(true)
		.allValue('.*');
	const scoped = [body, `${by}=~"$${dashboardVariables.instance}"`].filter(
		part => part !== '',
	);
	const models = new QueryVariableBuilder(dashboardVariables.model)
		.label('Model')
		.datasource(datasource)
		.query(
			`label_values(${discoveryMetric}{${scoped.join(',')}}, ${vllmLabel.model})`,
		)
		.refresh(VariableRefresh.OnTimeRangeChanged)
		.multi(true)
		.includeAll(true)
		.allValue('.*');
	const source = new DatasourceVariableBuilder(dashboardVariables.datasource)
		.label('Data source')
		.type('prometheus');
	if (options.datasourceUid !== undefined) {
		source.current({text: options.datasourceUid, value: options.datasourceUid});
	}

	return [source, servers, models];
}

/**
The dashboard object, typed by Grafana's schema. The classic JSON model, which every Grafana since 7 imports; the
SDK marks it deprecated in favour of the v2 resource, which only Grafana 12 with dynamic dashboards reads.
*/
/* eslint-disable @typescript-eslint/no-deprecated */
export function dashboardModel(
	config: AlertConfig,
	options: DashboardOptions,
): Dashboard {
	const builder = new DashboardBuilder('vLLM (vllm-top)')
		.uid('vllm-top')
		.tags(['vllm', 'vllm-top'])
		.refresh('30s')
		.time({from: 'now-1h', to: 'now'})
		.variables(variables(options));
	let x = 0;
	let y = 0;
	for (const spec of dashboardPanels(config, options)) {
		const w = spec.headline ? 12 : 8;
		if (x + w > 24) {
			x = 0;
			y += 8;
		}

		builder.withPanel(panelBuilder(spec, {x, y, w, h: 8}));
		x += w;
	}

	return builder.build();
}
/* eslint-enable @typescript-eslint/no-deprecated */

export function dashboardJson(
	config: AlertConfig,
	options: DashboardOptions,
): string {
	return JSON.stringify(dashboardModel(config, options), null, '\t');
}
