#!/usr/bin/env node
import process from 'node:process';
import meow, {type AnyFlags} from 'meow';
import {resolveCliOptions} from './source/config/cli-options.js';
import {ownPackage, versionLine} from './source/runtime/build-info.js';

const flagSpecs = {
	interval: {type: 'string', shortFlag: 'i'},
	timeout: {type: 'string'},
	maxBytes: {type: 'string'},
	apiKey: {type: 'string'},
	header: {type: 'string', isMultiple: true, default: []},
	insecure: {type: 'boolean', default: false},
	format: {type: 'string'},
	once: {type: 'boolean', default: false},
	json: {type: 'boolean', default: false},
	plain: {type: 'boolean', default: false},
	window: {type: 'string', shortFlag: 'w'},
	threshold: {type: 'string', isMultiple: true, default: []},
	config: {type: 'string'},
	maxNumSeqs: {type: 'string'},
	demo: {type: 'boolean', default: false},
	scenario: {type: 'string'},
	seed: {type: 'string'},
	timeScale: {type: 'string'},
	port: {type: 'string'},
	host: {type: 'string'},
	legacyV0: {type: 'boolean', default: false},
	profiler: {type: 'boolean', default: false},
	profilerStop: {type: 'string'},
	engines: {type: 'string'},
	color: {type: 'boolean', default: true},
	ascii: {type: 'boolean', default: false},
	readOnly: {type: 'boolean', default: false},
	profileDuration: {type: 'string'},
	duration: {type: 'string'},
	record: {type: 'string'},
	replay: {type: 'string'},
	speed: {type: 'string'},
	at: {type: 'string'},
	targets: {type: 'string'},
	prometheus: {type: 'string'},
	match: {type: 'string'},
	prometheusUser: {type: 'string'},
	prometheusPassword: {type: 'string'},
	prometheusToken: {type: 'string'},
} satisfies AnyFlags;

const manifest = ownPackage();
const cli = meow(
	`
	Usage
	  $ vllm-top [URL ...]                 watch one or more vLLM servers (default http://localhost:8000, or $VLLM_TOP_URL)
	  $ vllm-top --demo                     watch the built-in simulator
	  $ vllm-top --once [URL]               health check: print a summary and exit 0 ok, 1 warn, 2 crit, 3 down
	  $ vllm-top samples <URL|FILE|->       print every sample of a /metrics page as NDJSON
	  $ vllm-top simulate                   run the simulator as a standalone vLLM-like server
	  $ vllm-top profile [URL]              capture a torch profiler trace for --duration seconds

	Scraping
	  -i, --interval <s>        seconds between scrapes (default 5; 2 for --once; 0.5 to 60)
	  --timeout <s>             deadline of one scrape (default 3)
	  --max-bytes <n>           largest /metrics body accepted, in bytes (default 16777216)
	  --api-key <key>           bearer token (default $VLLM_API_KEY)
	  --header 'K: V'           extra request header (repeatable)
	  --insecure                skip TLS certificate verification
	  --format text|openmetrics parse as this format (default: from Content-Type)
	  --targets <file>          YAML list of targets (name, url, api_key, max_num_seqs)
	  --prometheus <url>        read every vLLM instance from this Prometheus instead of scraping
	  --match <selector>        with --prometheus: which series, e.g. '{job="vllm"}'
	  --prometheus-token <t>    bearer token for the Prometheus API (or $VLLM_TOP_PROMETHEUS_TOKEN)
	  --prometheus-user <u>     basic auth user, with --prometheus-password (or $VLLM_TOP_PROMETHEUS_PASSWORD)

	Output
	  --once                    two scrapes, a summary, and a health exit code
	  --json                    JSON instead of text (with --once: one document; otherwise one per interval)
	  --plain                   one plain line per interval instead of the full-screen view
	  --no-color                no colour (also $NO_COLOR)
	  --ascii                   ASCII only: no block or box-drawing glyphs
	  -w, --window <s>          latency percentile window in seconds (default 60)

	Alerts
	  --threshold id.key=value  change an alert threshold, e.g. kv_cache_pressure.value=0.95 (repeatable)
	  --config <file>           YAML file with thresholds (see README)
	  --max-num-seqs <n>        the server's --max-num-seqs, for the saturation alert and capacity

	Profiler
	  --read-only               no profiler key (for shared boxes)
	  --profile-duration <s>    stop a capture started with p after this many seconds
	  --duration <s>            with the profile command: capture length (default 10)

	Record and replay
	  --record <file>           append every raw scrape to an NDJSON file (.gz to compress)
	  --replay <file>           watch a recording instead of a live server
	  --speed <n|max>           replay speed (default 1)
	  --at <time>               with --once --replay: the moment to report (ISO time or seconds from the start)

	Simulator (--demo and simulate)
	  --scenario <name>         steady, burst, kv-pressure, overload, long-prompts, restart, flaky, sleep
	  --seed <n>                random seed (default 1)
	  --time-scale <x>          simulated seconds per real second (default 1)
	  --port <n>                simulate: port to listen on (default 8000; 0 picks a free one)
	  --host <addr>             simulate: address to listen on (default 127.0.0.1)
	  --engines <n>             data-parallel engines (default 1)
	  --legacy-v0               expose the V0 metric names
	  --profiler                enable /start_profile and /stop_profile
	  --profiler-stop <s>       --demo: how long the simulated /stop_profile takes (default 3)

	Keys (full-screen view)
	  q quit   ? help   space pause   + - interval   w window   v view   p profiler   r scrape now
	  fleet table: j k move, Enter open, Esc back, s sort, f filter    replay: r step, ] jump

	Examples
	  $ vllm-top --demo
	  $ vllm-top http://gpu-box:8000
	  $ vllm-top --once --json gpu-box:8000
`,
	{
		importMeta: import.meta,
		pkg: manifest,
		version: versionLine(manifest.version),
		// Checked below, so an unknown flag gets the same one-line error as every other bad flag.
		allowUnknownFlags: true,
		flags: flagSpecs,
	},
);

const unknown = Object.keys(cli.flags).filter(name => !(name in flagSpecs));
if (unknown.length > 0) {
	const flag = unknown[0]!.replaceAll(
		/[A-Z]/g,
		letter => `-${letter.toLowerCase()}`,
	);
	process.stderr.write(
		`vllm-top: unknown flag --${flag} (see vllm-top --help)\n`,
	);
	process.exit(2);
}

const resolved = resolveCliOptions(cli.input, cli.flags, process.env);
if (!resolved.ok) {
	process.stderr.write(`vllm-top: ${resolved.error} (see vllm-top --help)\n`);
	process.exit(2);
}

// React's development build checks and warns on every render: a monitor that runs for hours wants the production one.
process.env['NODE_ENV'] ??= 'production';

// Each mode is loaded on demand, so modes that draw nothing never load ink or React.
const {runCommand} = await import('./source/modes/run-command.js');
process.exitCode = await runCommand(resolved.options);
