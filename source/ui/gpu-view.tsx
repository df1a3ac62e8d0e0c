import {Box} from 'ink';
import type {GpuPanel} from '../gpu/gpu-panel.js';
import {gpuFields} from '../format/gpu-text.js';
import {targetAlerts} from '../store/target-alerts.js';
import {AlertsPanel} from './alerts-panel.js';
import {padText} from './fit-text.js';
import {GpuRows, gpuRowCount} from './gpu-rows.js';
import {allocateRows} from './layout.js';
import type {Segment} from './line.js';
import {Lines} from './lines.js';
import type {ViewProps} from './view-props.js';

const labelWidth = 16;
const narrowest = 13;
const widest = 26;

/** Fields down, GPUs across: as many GPUs as fit the width, then the processes holding GPU memory. */
function fieldLines(panel: GpuPanel, width: number): Segment[][] {
	const columnWidth = Math.min(
		widest,
		Math.max(
			narrowest,
			Math.floor((width - labelWidth) / Math.max(1, panel.gpus.length)),
		),
	);
	const across = Math.max(1, Math.floor((width - labelWidth) / columnWidth));
	const shown = panel.gpus.slice(0, across);
	const columns = shown.map(gpu => gpuFields(gpu));
	const header: Segment[] = [
		{text: padText('', labelWidth)},
		...shown.map(gpu => ({
			text: padText(`GPU ${gpu.index}`, columnWidth),
			bold: true,
		})),
		...(panel.gpus.length > shown.length
			? [
					{
						text: `+${panel.gpus.length - shown.length} more`,
						tone: 'dim' as const,
					},
				]
			: []),
	];
	const rows = (columns[0] ?? []).map(([label], row): Segment[] => [
		{text: padText(label, labelWidth), tone: 'dim'},
		...columns.map(fields => ({
			text: padText(fields[row]?.[1] ?? '', columnWidth - 1) + ' ',
		})),
	]);
	const processes = panel.gpus.flatMap(gpu =>
		gpu.processes.map((process): Segment[] => [
			{
				text: padText(`GPU ${gpu.index} pid ${process.pid}`, labelWidth),
				tone: 'dim',
			},
			{
				text: `${process.used_memory_mib === null ? '--' : `${(process.used_memory_mib / 1024).toFixed(1)}G`}  ${process.name}`,
			},
		]),
	);
	return [header, ...rows, ...processes];
}

/** Every GPU field the source reports, with the busy-ness sparklines and the alerts under them. */
export function GpuView({target, gpu, width, rows}: ViewProps) {
	const alerts = targetAlerts(target).filter(
		alert => alert.state !== 'resolved' && alert.id.startsWith('gpu_'),
	);
	if (gpu === undefined) {
		return (
			<Lines
				rows={[
					[
						{
							text: 'no GPU readings for this target: nvidia-smi is not on PATH or the target is not on this host; --gpu-url reads a DCGM exporter',
							tone: 'dim' as const,
						},
					],
				].slice(0, rows)}
				width={width}
			/>
		);
	}

	const fields = gpu.gpus.length === 0 ? [] : fieldLines(gpu, width);
	const plan = allocateRows(rows, [
		{id: 'sparks', min: Math.min(1, gpuRowCount(gpu)), max: gpuRowCount(gpu)},
		{id: 'alerts', min: 1, max: Math.max(1, alerts.length)},
		{id: 'fields', min: Math.min(3, fields.length), max: fields.length},
	]);
	const get = (id: string) => plan.get(id) ?? 0;
	return (
		<Box flexDirection="column" width={width}>
			<GpuRows panel={gpu} width={width} rows={get('sparks')} />
			<Lines rows={fields.slice(0, get('fields'))} width={width} />
			<AlertsPanel
				alerts={alerts}
				width={width}
				rows={get('alerts')}
				hasHints={false}
			/>
		</Box>
	);
}
