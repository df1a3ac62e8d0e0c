/**
`--prometheus URL`: every vLLM instance that Prometheus already scrapes, read through its HTTP API. The backend loads
only in this mode.
*/
import type {AlertConfig} from '../alerts/alert-config.js';
import type {CliOptions} from '../config/cli-options.js';
import {checkMatch} from '../prometheus/panel-queries.js';
import {checkPrometheusUrl} from '../prometheus/prometheus-url.js';
import type {ModeIo} from './mode-io.js';
import type {Source} from './source.js';

export async function prometheusSource(
	options: CliOptions,
	alertConfig: AlertConfig,
	io: ModeIo,
): Promise<Source | string> {
	const match = options.match ?? '';
	const invalid = checkPrometheusUrl(options.prometheus!) ?? checkMatch(match);
	if (invalid !== null) {
		return invalid;
	}

	const [{createPrometheusClient}, {createPrometheusSession}] =
		await Promise.all([
			import('../prometheus/prometheus-client.js'),
			import('../prometheus/prometheus-session.js'),
		]);
	const client = createPrometheusClient({
		url: options.prometheus!,
		auth: options.prometheusAuth,
		timeoutMs: Math.max(options.timeoutMs, 10_000),
		insecure: options.insecure,
		headers: options.headers,
	});
	if (options.record !== undefined) {
		io.stderr.write(
			'vllm-top: --record saves raw scrapes; with --prometheus there are none, so nothing is recorded\n',
		);
	}

	const session = createPrometheusSession({
		client,
		match,
		intervalMs: options.intervalMs,
		windowSeconds: options.windowSeconds,
		alertConfig,
	});
	return {
		session,
		profiler: undefined,
		async settle() {
			// Prometheus answers with rates at once: a second round adds nothing.
			await session.scrapeAllOnce({instant: true});
			return true;
		},
		nothingToReport: () =>
			session.store.get().message ?? 'no vLLM target found',
		async close() {
			await client.close();
		},
	};
}
