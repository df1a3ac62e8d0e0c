import {Box, Text} from 'ink';
import {memo, type ComponentType} from 'react';
import type {MonitorState} from '../store/monitor-state.js';
import {AlertsView} from './alerts-view.js';
import {DetailsView} from './details-view.js';
import {EnginesView} from './engines-view.js';
import {GpuView} from './gpu-view.js';
import {Header} from './header.js';
import {HelpOverlay} from './help-overlay.js';
import {layoutMode, type TerminalSize} from './layout.js';
import {LatencyView} from './latency-view.js';
import {OverviewView} from './overview-view.js';
import {StatusLine, statusProblems, type ViewName} from './status-line.js';
import type {ViewProps} from './view-props.js';

export type DashboardProps = {
	/** What to show: the live state, or the state frozen at pause. */
	readonly state: MonitorState;
	readonly size: TerminalSize;
	/** @default 'overview' */
	readonly view?: ViewName;
	/** @default false */
	readonly isHelpVisible?: boolean;
	/**
	Show everything in full instead of the view (alerts, hints, errors).

	@default false
	*/
	readonly isDetailsVisible?: boolean;
	/** Epoch ms the frame is drawn at. */
	readonly now: number;
};

/**
Memoised: a view reads only the target and its box, so a frame that changes only the header or status line (a clock
tick, a message, a key) does not render the body again.
*/
const views: Readonly<Record<ViewName, ComponentType<ViewProps>>> = {
	overview: memo(OverviewView),
	latency: memo(LatencyView),
	engines: memo(EnginesView),
	alerts: memo(AlertsView),
	gpus: memo(GpuView),
};

const Help = memo(HelpOverlay);

/**
The whole frame, laid out for the terminal size. It is always at most `rows - 1` lines: a frame as tall as the
terminal makes ink clear the screen on every render, which flickers.
*/
export function Dashboard({
	state,
	size,
	view = 'overview',
	isHelpVisible = false,
	isDetailsVisible = false,
	now,
}: DashboardProps) {
	const mode = layoutMode(size);
	const height = size.rows - 1;
	const width = size.columns;
	if (mode === 'too-small') {
		return height >= 1 ? (
			<Text wrap="truncate-end">
				{`too small: ${width}x${size.rows} < 40x10`.slice(
					0,
					Math.max(1, width),
				)}
			</Text>
		) : null;
	}

	const target = state.targets[state.selected] ?? state.targets[0];
	const headerRows = mode === 'minimal' ? 1 : 2;
	const problems = statusProblems(target, state, now).length;
	const statusRows =
		mode === 'minimal' ? 1 : Math.min(1 + problems, mode === 'full' ? 3 : 2);
	const bodyRows = Math.max(0, height - headerRows - statusRows);
	const View = views[view];
	return (
		<Box flexDirection="column" width={width}>
			<Header
				target={target}
				state={state}
				width={width}
				rows={headerRows}
				now={now}
			/>
			{isHelpVisible ? (
				<Help width={width} rows={bodyRows} isReadOnly={state.readOnly} />
			) : isDetailsVisible ? (
				<DetailsView
					target={target}
					state={state}
					width={width}
					rows={bodyRows}
					now={now}
				/>
			) : (
				<View
					target={target}
					gpu={state.gpus?.[state.selected]}
					mode={mode}
					width={width}
					rows={bodyRows}
					stepMs={state.intervalMs}
				/>
			)}
			<StatusLine
				target={target}
				state={state}
				view={view}
				width={width}
				rows={statusRows}
				now={now}
			/>
		</Box>
	);
}
