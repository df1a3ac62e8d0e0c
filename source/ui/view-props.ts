import type {GpuPanel} from '../gpu/gpu-panel.js';
import type {TargetView} from '../store/target-view.js';
import type {LayoutMode} from './layout.js';

/** What every view gets: the target and the exact box it must stay inside. */
export type ViewProps = {
	readonly target: TargetView | undefined;
	readonly mode: LayoutMode;
	readonly width: number;
	/** Rows the view may use; it never uses more. */
	readonly rows: number;
	/** The target's GPU panel, when a GPU source describes it. */
	readonly gpu?: GpuPanel;
	/** Time between two history points (the scrape interval), for the charts' time axis. */
	readonly stepMs?: number;
};
