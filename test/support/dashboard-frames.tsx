/**
Frames of the whole dashboard drawn from the shipped fixture pages, every view at a full and a compact size, in the
order a session would draw them: a test runs this in two processes (ink as published, and the patched copy the build
makes, each with the view built against it) and compares.
*/
import {readFileSync} from 'node:fs';
import type {renderToString as RenderToString} from 'ink';
import {defaultAlertConfig} from '../../source/alerts/alert-config.js';
import type {ScrapeResult} from '../../source/scrape/scrape-result.js';
import {ingestScrape} from '../../source/pipeline/ingest-scrape.js';
import {initialMonitorState} from '../../source/store/monitor-state.js';
import {
	initialTargetState,
	type TargetState,
} from '../../source/pipeline/target-reducer.js';
import type {Dashboard as DashboardView} from '../../source/ui/dashboard.js';
import type {FleetView as FleetTable} from '../../source/ui/fleet-view.js';
import type {ViewName} from '../../source/ui/status-line.js';
import {fixturePath} from './fixture-path.js';

const views: readonly ViewName[] = ['overview', 'latency', 'engines', 'alerts'];
const sizes = [
	{columns: 100, rows: 30},
	{columns: 60, rows: 16},
] as const;

function scrape(body: string, at: number): ScrapeResult {
	return {
		ok: true,
		url: 'http://gpu-1:8000/metrics',
		at,
		durationMs: 12,
		status: 200,
		contentType: 'text/plain; version=0.0.4',
		body,
	};
}

/** The views to draw, from the same ink as `renderToString`. */
export type FrameViews = {
	readonly Dashboard: typeof DashboardView;
	readonly FleetView: typeof FleetTable;
};

export function dashboardFrames(
	renderToString: typeof RenderToString,
	{Dashboard, FleetView}: FrameViews,
): string[] {
	const frames: string[] = [];
	const targets: TargetState[] = [];
	const start = Date.UTC(2026, 10, 22, 12);
	for (const fixture of [
		'vllm-v1-generated-dp2-specdec-lora.txt',
		'vllm-v0-opt125m.txt',
	]) {
		const body = readFileSync(fixturePath(fixture), 'utf8');
		let state: TargetState = initialTargetState('gpu-1', 'http://gpu-1:8000');
		for (let index = 0; index < 3; index++) {
			const at = start + index * 5000;
			state = ingestScrape(state, scrape(body, at), {
				windowSeconds: 60,
				alertConfig: defaultAlertConfig,
			});
			for (const size of sizes) {
				for (const view of views) {
					frames.push(
						renderToString(
							<Dashboard
								state={initialMonitorState([state.view], {intervalMs: 5000})}
								size={size}
								view={view}
								now={at + 1000}
							/>,
							{columns: size.columns},
						),
					);
				}

				frames.push(
					renderToString(
						<Dashboard
							isHelpVisible
							state={initialMonitorState([state.view], {intervalMs: 5000})}
							size={size}
							now={at + 1000}
						/>,
						{columns: size.columns},
					),
				);
			}
		}

		targets.push(state);
	}

	for (const size of sizes) {
		frames.push(
			renderToString(
				<FleetView
					state={initialMonitorState(
						targets.map(target => target.view),
						{intervalMs: 5000},
					)}
					sortKey="name"
					filter=""
					width={size.columns}
					rows={size.rows - 1}
				/>,
				{columns: size.columns},
			),
		);
	}

	return frames;
}
