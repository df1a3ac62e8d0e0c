import {Box} from 'ink';
import {targetAlerts} from '../store/target-alerts.js';
import {AlertsPanel} from './alerts-panel.js';
import {CapacityLine} from './capacity-line.js';
import {EnginesTable} from './engines-table.js';
import {allocateRows} from './layout.js';
import type {ViewProps} from './view-props.js';

/** Data-parallel engines, served models and LoRA adapters side by side, to spot the one that is behind. */
export function EnginesView({target, width, rows}: ViewProps) {
	const snapshot = target?.snapshot ?? null;
	const alerts = targetAlerts(target).filter(
		alert => alert.state !== 'resolved',
	);
	const tableRows =
		1 +
		(snapshot?.per_engine.length ?? 0) +
		1 +
		(snapshot?.per_model.length ?? 0) +
		1;
	const plan = allocateRows(rows, [
		{id: 'alerts', min: 1, max: 1},
		{id: 'tables', min: 3, max: tableRows},
		{id: 'capacity', min: 1, max: 1},
		{id: 'more-alerts', min: 0, max: Math.max(0, alerts.length - 1)},
	]);
	const get = (id: string) => plan.get(id) ?? 0;
	return (
		<Box flexDirection="column" width={width}>
			<EnginesTable snapshot={snapshot} width={width} maxRows={get('tables')} />
			<CapacityLine
				capacity={snapshot?.capacity ?? null}
				width={width}
				rows={get('capacity')}
			/>
			<AlertsPanel
				alerts={alerts}
				width={width}
				rows={get('alerts') + get('more-alerts')}
				hasHints={false}
			/>
		</Box>
	);
}
