import {Gauge, type Registry} from 'prom-client';

/**
`process_start_time_seconds`, as prometheus_client's process collector prints it on a real server: the monitor
reads uptime from it, and a new value tells it the server restarted.
*/
export function registerProcessStart(
	registry: Registry,
	startTimeSeconds: number,
): void {
	const gauge = new Gauge({
		name: 'process_start_time_seconds',
		help: 'Start time of the process since unix epoch in seconds.',
		registers: [registry],
	});
	gauge.set(startTimeSeconds);
}
