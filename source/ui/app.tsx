import {useMemo, useState} from 'react';
import {
	stepInterval,
	type MonitorActions,
	type MonitorState,
} from '../store/monitor-state.js';
import type {Store} from '../store/store.js';
import type {TargetView} from '../store/target-view.js';
import {
	nextSortKey,
	nextStatusFilter,
	type FleetSortKey,
} from '../fleet/fleet-summary.js';
import {ruleDefaults} from '../alerts/rule-defaults.js';
import {
	type BenchStripState,
	benchStripRows,
} from '../bench/bench-strip-state.js';
import {LiveBenchStrip} from './live-bench-strip.js';
import {Dashboard} from './dashboard.js';
import {FleetView, moveFleetSelection} from './fleet-view.js';
import {DisplayContext} from './display-context.js';
import {ThresholdsContext} from './thresholds-context.js';
import {ClockContext, createTicker} from './hooks/use-clock.js';
import {useKeys, type KeyCommand} from './hooks/use-keys.js';
import {useStore} from './hooks/use-store.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import type {TerminalSize} from './layout.js';
import type {ViewName} from './status-line.js';

export type AppProps = {
	readonly store: Store<MonitorState>;
	readonly actions: MonitorActions;
	/** @default false */
	readonly isAscii?: boolean;
	/** Fixed terminal size (tests); by default the output terminal's, following resizes. */
	readonly size?: TerminalSize;
	/**
	Clock for ages in the header (tests).

	@default Date.now
	*/
	readonly now?: () => number;
	/** A load generator's progress (`bench`), drawn above the monitor. */
	readonly bench?: Store<BenchStripState>;
};

const viewOrder: readonly ViewName[] = [
	'overview',
	'latency',
	'engines',
	'alerts',
	'gpus',
];

/**
The interactive monitor: reads the store, turns keys into actions. Pausing keeps the targets as they were when the
store's `paused` turned true, so the numbers hold still while scraping goes on.
*/
export function App({
	store,
	actions,
	isAscii = false,
	size,
	now = Date.now,
	bench,
}: AppProps) {
	const live = useStore(store);
	const terminal = useTerminalSize();
	const [view, setView] = useState<ViewName>('overview');
	const [help, setHelp] = useState(false);
	// Enter on a target's view: everything in full (alerts, hints, the scrape error, the profiler), wrapped.
	const [details, setDetails] = useState(false);
	const [frozen, setFrozen] = useState<readonly TargetView[] | null>(null);
	// With several targets the fleet table comes first; Enter shows the selected one in full, Esc goes back.
	const [drilled, setDrilled] = useState(false);
	const [sortKey, setSortKey] = useState<FleetSortKey>('status');
	const [filter, setFilter] = useState('');
	// Derived from the previous render (React's documented pattern): keep the targets from the moment of pausing.
	if (live.paused && frozen === null) {
		setFrozen(live.targets);
	} else if (!live.paused && frozen !== null) {
		setFrozen(null);
	}

	const shown: MonitorState =
		live.paused && frozen !== null ? {...live, targets: frozen} : live;
	// Several `+`/`-` in one read step from each other: the store holds the interval the previous one set.
	const stepTo = (direction: 1 | -1) => {
		actions.setInterval(stepInterval(store.get().intervalMs, direction));
	};

	const display = useMemo(() => ({ascii: isAscii}), [isAscii]);
	// Replay has no wall clock: recorded time moves the view, scrape by scrape.
	const isReplay = live.replayAt !== null && live.replayAt !== undefined;
	const ticker = useMemo(
		() => (isReplay ? null : createTicker(now)),
		[isReplay, now],
	);
	// y/n/Esc answer the profiler while it asks something: the start confirmation, or a quit while the trace is written.
	const confirming =
		live.profiler?.phase === 'confirm' || live.profiler?.phase === 'stopping';
	const fleet = live.targets.length > 1 && !drilled;
	/** Keys of the fleet table. */
	const fleetKeys: Partial<Record<KeyCommand, () => void>> = {
		enter() {
			setDrilled(true);
		},
		up() {
			actions.select?.(moveFleetSelection(live, sortKey, filter, -1));
		},
		down() {
			actions.select?.(moveFleetSelection(live, sortKey, filter, 1));
		},
		sort() {
			setSortKey(nextSortKey);
		},
		filter() {
			setFilter(nextStatusFilter);
		},
	};

	const onCommand = (command: KeyCommand) => {
		const fleetKey = fleet && !help ? fleetKeys[command] : undefined;
		if (fleetKey) {
			fleetKey();
			return;
		}

		if (
			confirming &&
			(command === 'yes' || command === 'no' || command === 'escape')
		) {
			actions.profilerKey(
				command === 'yes' ? 'y' : command === 'no' ? 'n' : 'escape',
			);
			return;
		}

		switch (command) {
			case 'quit': {
				actions.quit();
				break;
			}

			case 'help': {
				setHelp(visible => !visible);
				break;
			}

			case 'escape': {
				if (help) {
					setHelp(false);
				} else if (details) {
					setDetails(false);
				} else {
					setDrilled(false);
				}

				break;
			}

			case 'enter': {
				setHelp(false);
				setDetails(shown => !shown);
				break;
			}

			case 'pause': {
				actions.togglePause();
				break;
			}

			case 'slower': {
				stepTo(1);
				break;
			}

			case 'faster': {
				stepTo(-1);
				break;
			}

			case 'window': {
				actions.cycleWindow();
				break;
			}

			case 'view': {
				setDetails(false);
				// The GPU view is in the cycle only where a GPU source describes the target.
				const order = live.gpus?.[live.selected]
					? viewOrder
					: viewOrder.filter(name => name !== 'gpus');
				setView(current => order[(order.indexOf(current) + 1) % order.length]!);
				break;
			}

			case 'profiler': {
				if (!live.readOnly) {
					actions.profilerKey('p');
				}

				break;
			}

			case 'refresh': {
				actions.scrapeNow();
				break;
			}

			case 'jump': {
				actions.jump?.();
				break;
			}

			case 'yes':
			case 'no':
			case 'up':
			case 'down':
			case 'sort':
			case 'filter': {
				break;
			}
		}
	};

	useKeys(onCommand);
	const whole = size ?? terminal;
	const area = bench
		? {...whole, rows: Math.max(1, whole.rows - benchStripRows)}
		: whole;
	return (
		<ClockContext.Provider value={ticker}>
			<ThresholdsContext.Provider value={live.thresholds ?? ruleDefaults}>
				<DisplayContext.Provider value={display}>
					{bench ? (
						<LiveBenchStrip
							store={bench}
							width={area.columns}
							isAscii={isAscii}
						/>
					) : null}
					{fleet && !help ? (
						<FleetView
							state={shown}
							sortKey={sortKey}
							filter={filter}
							width={area.columns}
							rows={area.rows - 1}
						/>
					) : (
						<Dashboard
							state={shown}
							size={area}
							view={view}
							isHelpVisible={help}
							isDetailsVisible={details}
							now={live.replayAt ?? now()}
						/>
					)}
				</DisplayContext.Provider>
			</ThresholdsContext.Provider>
		</ClockContext.Provider>
	);
}
