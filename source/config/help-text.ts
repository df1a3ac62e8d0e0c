/**
`vllm-top --help`: the usage lines, then one line per row of the flag table under its group, then the keys and
examples. The flag lines are made from the rows, so a new flag shows up here by itself.
*/
import {type FlagRow, helpGroups, kebabCase} from './flag-row.js';
import {flagRows} from './flags.js';

const usage = `Usage
  $ vllm-top [URL ...]                 watch one or more vLLM servers (default http://localhost:8000, or $VLLM_TOP_URL)
  $ vllm-top --demo                     watch the built-in simulator
  $ vllm-top --once [URL]               health check: print a summary and exit 0 ok, 1 warn, 2 crit, 3 down
  $ vllm-top samples <URL|FILE|->       print every sample of a /metrics page as NDJSON
  $ vllm-top simulate                   run the simulator as a standalone vLLM-like server
  $ vllm-top profile [URL]              capture a torch profiler trace for --duration seconds
  $ vllm-top export prometheus-rules    the alert rules as a Prometheus rules file (also promtool-tests, grafana)
  $ vllm-top bench [URL]                drive load and report like vllm bench serve (see vllm-top bench --help)`;

const keysAndExamples = `Keys (full-screen view)
  q quit   ? help   space pause   + - interval   w window   v view   p profiler   r scrape now
  fleet table: j k move, Enter open, Esc back, s sort, f filter    replay: r step, ] jump

Examples
  $ vllm-top --demo
  $ vllm-top http://gpu-box:8000
  $ vllm-top --once --json gpu-box:8000`;

/** Width of the flag column, so the descriptions line up. */
const column = 26;

function flagLabel(name: string, row: FlagRow): string {
	const flag = row.on ? `--no-${kebabCase(name)}` : `--${kebabCase(name)}`;
	const alias = row.alias === undefined ? '' : `-${row.alias}, `;
	const value = row.value === undefined ? '' : ` ${row.value}`;
	return `${alias}${flag}${value}`;
}

function describe(row: FlagRow): string {
	return row.help
		.replaceAll('{default}', String(row.default))
		.replaceAll('{min}', String(row.range?.min))
		.replaceAll('{max}', String(row.range?.max))
		.replaceAll('{env}', `$${row.env}`);
}

export function flagLine(name: string, row: FlagRow): string {
	const label = flagLabel(name, row);
	return `  ${label.padEnd(column - 1)} ${describe(row)}`;
}

export function helpText(): string {
	const groups = helpGroups.map(group =>
		[
			group,
			...flagRows
				.filter(([, row]) => row.group === group)
				.map(([name, row]) => flagLine(name, row)),
		].join('\n'),
	);
	return [usage, ...groups, keysAndExamples].join('\n\n');
}
