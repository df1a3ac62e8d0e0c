/**
Every CLI flag, one row each: meow's spec, `--help`, the types of the raw and resolved options and the per-flag checks
all come from this table. To add a flag, add a row; `cli-options.ts` only combines flags that mean something together.
*/
import {parseSpeed} from '../record/replay-speed.js';
import {parseHeaderFlag} from '../scrape/header-flag.js';
import {
	isSimulatedDialect,
	simulatedDialects,
	type SimulatedDialect,
} from '../simulator/simulated-dialect-names.js';
import {dcgmExporterPort} from '../gpu/dcgm-fields.js';
import {normalizeTargetUrl} from '../scrape/target-url.js';
import {
	defaultIntervalMs,
	maxIntervalMs,
	minIntervalMs,
	onceIntervalMs,
} from '../scrape/interval.js';
import {
	type FlagContext,
	FlagError,
	type FlagRow,
	listFlag,
	numberFlag,
	optionalNumberFlag,
	parsedFlag,
	parsedListFlag,
	switchFlag,
	textFlag,
	textWithDefault,
} from './flag-row.js';

const simulating = ({command, flags}: FlagContext) =>
	command === 'simulate' || (command === 'monitor' && flags['demo'] === true);
const onlySimulator = {when: simulating, where: '--demo and simulate'};
const onlyPrometheus = {
	when: ({flags}: FlagContext) => flags['prometheus'] !== undefined,
	where: '--prometheus',
};
const onlyExport = {
	when: ({command}: FlagContext) => command === 'export',
	where: 'the export command',
};
const onlySimulate = (why: string) => ({
	when: ({command}: FlagContext) => command === 'simulate',
	where: `the simulate command (${why})`,
});
const onlyMonitor = (where: string) => ({
	when: ({command}: FlagContext) => command === 'monitor',
	where,
});

/** Range of the profiler capture lengths, shared by `--duration` and `--profile-duration`. */
export const captureSeconds = {min: 1, max: 3600, unit: 'seconds'} as const;

export const flagTable = {
	// Scraping
	interval: numberFlag({
		option: 'intervalMs',
		alias: 'i',
		value: '<s>',
		group: 'Scraping',
		help: `seconds between scrapes (default {default}; ${onceIntervalMs / 1000} for --once; {min} to {max})`,
		default: defaultIntervalMs / 1000,
		defaultFor: ({flags}) =>
			(flags['once'] === true ? onceIntervalMs : defaultIntervalMs) / 1000,
		range: {
			min: minIntervalMs / 1000,
			max: maxIntervalMs / 1000,
			unit: 'seconds',
		},
		scale: 1000,
	}),
	timeout: numberFlag({
		option: 'timeoutMs',
		value: '<s>',
		group: 'Scraping',
		help: 'deadline of one request, connecting included (default {default})',
		default: 3,
		range: {min: 0.1, max: 120, unit: 'seconds'},
		scale: 1000,
	}),
	maxBytes: numberFlag({
		value: '<n>',
		group: 'Scraping',
		help: 'largest /metrics body accepted, in bytes (default {default})',
		default: 16 * 1024 * 1024,
		range: {min: 1024, max: 1024 * 1024 * 1024, unit: 'bytes', integer: true},
	}),
	apiKey: textFlag({
		value: '<key>',
		env: 'VLLM_API_KEY',
		group: 'Scraping',
		help: 'bearer token (default {env})',
	}),
	header: parsedListFlag({
		option: 'headers',
		value: "'K: V'",
		group: 'Scraping',
		help: 'extra request header (repeatable)',
		parse(raw): Readonly<Record<string, string>> {
			const headers: Record<string, string> = {};
			for (const line of raw) {
				const header = parseHeaderFlag(line);
				if (!header.ok) {
					throw new FlagError(header.error);
				}

				headers[header.name] = header.value;
			}

			return headers;
		},
	}),
	insecure: switchFlag({
		group: 'Scraping',
		help: 'skip TLS certificate verification',
	}),
	format: parsedFlag({
		value: 'text|openmetrics',
		group: 'Scraping',
		help: 'parse as this format (default: from Content-Type)',
		parse(raw, name): 'text' | 'openmetrics' | undefined {
			if (raw === undefined || raw === 'text' || raw === 'openmetrics') {
				return raw;
			}

			throw new FlagError(`--${name} takes text or openmetrics, got '${raw}'`);
		},
	}),
	targets: textFlag({
		option: 'targetsFile',
		value: '<file>',
		group: 'Scraping',
		help: 'YAML list of targets (name, url, api_key, max_num_seqs)',
		modes: onlyMonitor('watching servers'),
	}),
	prometheus: textFlag({
		value: '<url>',
		group: 'Scraping',
		help: 'read every vLLM instance from this Prometheus instead of scraping',
	}),
	match: textFlag({
		value: '<selector>',
		group: 'Scraping',
		help: `with --prometheus or export: which series, e.g. '{job="vllm"}'`,
		modes: {
			when: context => onlyPrometheus.when(context) || onlyExport.when(context),
			where: '--prometheus and the export command',
		},
	}),
	datasourceUid: textFlag({
		value: '<uid>',
		group: 'Scraping',
		help: 'export grafana: the Prometheus data source the dashboard starts on',
		modes: onlyExport,
	}),
	prometheusToken: textFlag({
		option: false,
		value: '<t>',
		env: 'VLLM_TOP_PROMETHEUS_TOKEN',
		group: 'Scraping',
		help: 'bearer token for the Prometheus API (or {env})',
		modes: onlyPrometheus,
	}),
	prometheusUser: textFlag({
		option: false,
		value: '<u>',
		group: 'Scraping',
		help: 'basic auth user, with --prometheus-password',
		modes: onlyPrometheus,
	}),
	prometheusPassword: textFlag({
		option: false,
		value: '<p>',
		env: 'VLLM_TOP_PROMETHEUS_PASSWORD',
		group: 'Scraping',
		help: 'basic auth password (or {env})',
		modes: onlyPrometheus,
	}),

	// GPUs
	gpu: switchFlag({
		on: true,
		group: 'Scraping',
		help: 'no GPU readings from nvidia-smi (read by default when it is on PATH and the target is on this host)',
	}),
	gpuUrl: parsedFlag({
		value: '<url>',
		group: 'Scraping',
		help: `GPU panel from this DCGM exporter's /metrics page (a bare host means port ${dcgmExporterPort})`,
		modes: onlyMonitor('watching servers'),
		parse(raw, name): string | undefined {
			if (raw === undefined) {
				return undefined;
			}

			const normalized = normalizeTargetUrl(raw, dcgmExporterPort);
			if (!normalized.ok) {
				throw new FlagError(`--${name}: ${normalized.error}`);
			}

			return normalized.url;
		},
	}),

	// Output
	once: switchFlag({
		group: 'Output',
		help: 'two scrapes, a summary, and a health exit code',
	}),
	json: switchFlag({
		option: false,
		group: 'Output',
		help: 'JSON instead of text (with --once: one document; otherwise one per interval)',
	}),
	plain: switchFlag({
		option: false,
		group: 'Output',
		help: 'one plain line per interval instead of the full-screen view',
	}),
	color: {
		...switchFlag({
			on: true,
			env: 'NO_COLOR',
			group: 'Output',
			help: 'no colour (also {env})',
		}),
		read: (raw: boolean, _name: string, {env}: FlagContext) =>
			raw && !env['NO_COLOR'],
	},
	ascii: switchFlag({
		group: 'Output',
		help: 'ASCII only: no block or box-drawing glyphs',
	}),
	window: numberFlag({
		option: 'windowSeconds',
		alias: 'w',
		value: '<s>',
		group: 'Output',
		help: 'latency percentile window in seconds (default {default})',
		default: 60,
		range: {min: 10, max: 3600, unit: 'seconds'},
	}),

	// Alerts
	threshold: listFlag({
		option: 'thresholds',
		value: 'id.key=value',
		group: 'Alerts',
		help: 'change an alert threshold, e.g. kv_cache_pressure.value=0.95 (repeatable)',
	}),
	config: textFlag({
		option: 'configFile',
		value: '<file>',
		group: 'Alerts',
		help: 'YAML file with thresholds (see README)',
	}),
	maxNumSeqs: optionalNumberFlag({
		value: '<n>',
		group: 'Alerts',
		help: "the server's --max-num-seqs, for the saturation alert and capacity",
		range: {min: 1, max: 1_000_000, integer: true},
	}),
	maxNumBatchedTokens: optionalNumberFlag({
		value: '<n>',
		group: 'Alerts',
		help: "the server's --max-num-batched-tokens, to show each step's tokens as a share of it",
		range: {min: 1, max: 100_000_000, integer: true},
	}),

	// Profiler
	readOnly: switchFlag({
		group: 'Profiler',
		help: 'no profiler key (for shared boxes)',
	}),
	profileDuration: optionalNumberFlag({
		option: false,
		value: '<s>',
		group: 'Profiler',
		help: 'stop a capture started with p after this many seconds',
		range: captureSeconds,
		scale: 1000,
	}),
	duration: numberFlag({
		option: false,
		value: '<s>',
		group: 'Profiler',
		help: 'with the profile command: capture length (default {default})',
		default: 10,
		range: captureSeconds,
		scale: 1000,
		modes: {
			when: ({command}) => command === 'profile',
			where: 'the profile command (the view uses --profile-duration)',
		},
	}),

	// Record and replay
	record: textFlag({
		value: '<file>',
		group: 'Record and replay',
		help: 'append every raw scrape to an NDJSON file (.gz to compress)',
		modes: onlyMonitor('watching a server'),
	}),
	replay: textFlag({
		value: '<file>',
		group: 'Record and replay',
		help: 'watch a recording instead of a live server',
	}),
	speed: parsedFlag({
		value: '<n|max>',
		group: 'Record and replay',
		help: 'replay speed (default 1)',
		modes: {
			when: ({flags}) => flags['replay'] !== undefined,
			where: '--replay',
		},
		parse(raw): number | 'max' {
			if (raw === undefined || raw === '') {
				return 1;
			}

			const parsed = parseSpeed(raw);
			if (!parsed.ok) {
				throw new FlagError(parsed.error);
			}

			return parsed.speed;
		},
	}),
	at: textFlag({
		value: '<time>',
		group: 'Record and replay',
		help: 'with --once --replay: the moment to report (ISO time or seconds from the start)',
	}),

	// Simulator
	demo: switchFlag({
		group: 'Simulator (--demo and simulate)',
		help: 'watch the built-in simulator instead of a server',
	}),
	scenario: textFlag({
		value: '<name>',
		group: 'Simulator (--demo and simulate)',
		help: 'steady, burst, kv-pressure, overload, long-prompts, restart, flaky, sleep',
		modes: onlySimulator,
	}),
	seed: numberFlag({
		value: '<n>',
		group: 'Simulator (--demo and simulate)',
		help: 'random seed (default {default})',
		default: 1,
		range: {min: 0, max: 2 ** 31, integer: true},
		modes: onlySimulator,
	}),
	timeScale: numberFlag({
		value: '<x>',
		group: 'Simulator (--demo and simulate)',
		help: 'simulated seconds per real second (default {default})',
		default: 1,
		range: {min: 0.01, max: 10_000},
		modes: onlySimulator,
	}),
	port: numberFlag({
		value: '<n>',
		group: 'Simulator (--demo and simulate)',
		help: 'simulate: port to listen on (default {default}; 0 picks a free one)',
		default: 8000,
		range: {min: 0, max: 65_535, integer: true},
		modes: onlySimulate('the monitor takes the port in its URL'),
	}),
	host: textWithDefault({
		value: '<addr>',
		group: 'Simulator (--demo and simulate)',
		help: 'simulate: address to listen on (default {default})',
		default: '127.0.0.1',
		modes: onlySimulate('the monitor takes the host in its URL'),
	}),
	engines: optionalNumberFlag({
		value: '<n>',
		group: 'Simulator (--demo and simulate)',
		help: 'data-parallel engines (default 1)',
		range: {min: 1, max: 16, integer: true},
		modes: onlySimulator,
	}),
	traffic: switchFlag({
		on: true,
		group: 'Simulator (--demo and simulate)',
		help: 'no built-in load: requests sent to /v1/completions are the only work',
		modes: onlySimulator,
	}),
	gpus: optionalNumberFlag({
		value: '<n>',
		group: 'Simulator (--demo and simulate)',
		help: 'simulated GPUs, served as a DCGM exporter page at /dcgm/metrics',
		range: {min: 1, max: 64, integer: true},
		modes: onlySimulator,
	}),
	kvOffload: switchFlag({
		group: 'Simulator (--demo and simulate)',
		help: 'offload KV to CPU memory (vLLM OffloadingConnector) and report it',
		modes: onlySimulator,
	}),
	dialect: parsedFlag({
		value: 'vllm|ray|sglang',
		group: 'Simulator (--demo and simulate)',
		help: "serve vLLM's page (default), vLLM's under Ray Serve LLM (ray_vllm:), or SGLang's",
		parse(raw, name): SimulatedDialect | undefined {
			if (raw === undefined || isSimulatedDialect(raw)) {
				return raw;
			}

			throw new FlagError(
				`--${name} takes ${simulatedDialects.join(', ')}, got '${raw}'`,
			);
		},
		modes: onlySimulator,
	}),
	skew: switchFlag({
		group: 'Simulator (--demo and simulate)',
		help: 'with --engines 2 or more: send nine requests in ten to engine 0',
		modes: onlySimulator,
	}),
	legacyV0: switchFlag({
		group: 'Simulator (--demo and simulate)',
		help: 'expose the V0 metric names',
		modes: onlySimulator,
	}),
	specDecode: switchFlag({
		group: 'Simulator (--demo and simulate)',
		help: 'speculative decoding with 3 draft tokens, whatever the scenario',
		modes: onlySimulator,
	}),
	hybrid: switchFlag({
		group: 'Simulator (--demo and simulate)',
		help: 'a hybrid attention/mamba model: cache_config_info with mamba_block_size and no token pool',
		modes: onlySimulator,
	}),
	profiler: switchFlag({
		group: 'Simulator (--demo and simulate)',
		help: 'enable /start_profile and /stop_profile',
		modes: onlySimulate('--demo always has it'),
	}),
	profilerStop: numberFlag({
		option: 'profilerStopMs',
		value: '<s>',
		group: 'Simulator (--demo and simulate)',
		help: '--demo: how long the simulated /stop_profile takes (default {default})',
		default: 3,
		range: {min: 0, max: 3600, unit: 'seconds'},
		scale: 1000,
		modes: {
			when: ({command, flags}) =>
				command === 'monitor' && flags['demo'] === true,
			where: '--demo',
		},
	}),
};

export type FlagTable = typeof flagTable;

/** The rows in table order, which is also their order in `--help`. */
export const flagRows: ReadonlyArray<readonly [string, FlagRow]> =
	Object.entries(flagTable);
