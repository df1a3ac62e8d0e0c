import {Box} from 'ink';
import {targetAlerts} from '../store/target-alerts.js';
import {AlertsPanel} from './alerts-panel.js';
import {CacheConfigLine} from './cache-config-line.js';
import {CapacityLine} from './capacity-line.js';
import {allocateRows} from './layout.js';
import type {ViewProps} from './view-props.js';

/** Every alert with its hint (recently resolved ones too), and the capacity and cache numbers behind them. */
export function AlertsView({target, width, rows}: ViewProps) {
	const snapshot = target?.snapshot ?? null;
	const alerts = targetAlerts(target);
	const plan = allocateRows(rows, [
		{id: 'alerts', min: 1, max: 1},
		{id: 'capacity', min: 1, max: 1},
		{id: 'cache', min: 1, max: 1},
		{id: 'more-alerts', min: 0, max: Math.max(0, alerts.length * 2 - 1)},
		{id: 'more-capacity', min: 0, max: 2},
	]);
	const get = (id: string) => plan.get(id) ?? 0;
	return (
		<Box flexDirection="column" width={width}>
			<AlertsPanel
				hasHints
				alerts={alerts}
				width={width}
				rows={get('alerts') + get('more-alerts')}
			/>
			<CapacityLine
				capacity={snapshot?.capacity ?? null}
				width={width}
				rows={get('capacity') + get('more-capacity')}
			/>
			{get('cache') > 0 ? (
				<CacheConfigLine
					cacheConfig={snapshot?.cache_config ?? null}
					width={width}
				/>
			) : null}
		</Box>
	);
}
