import type {MonitorActions} from '../../source/store/monitor-state.js';

const ignore = () => undefined;

/** Actions that do nothing, for views drawn without a live session; spread it and override what a test watches. */
export const noActions: MonitorActions = {
	quit: ignore,
	togglePause: ignore,
	setInterval: ignore,
	cycleWindow: ignore,
	scrapeNow: ignore,
	profilerKey: ignore,
	select: ignore,
};
