import process from 'node:process';
import meow from 'meow';
import {benchFlagSpecs, resolveBenchOptions} from './bench-options.js';

const help = `
	Usage
	  $ vllm-top bench [URL]               drive load at an OpenAI-compatible server and watch it answer

	Requests
	  --endpoint completions|chat   /v1/completions (default) or /v1/chat/completions, streamed with usage
	  --model <name>                model to ask for (default: the first of /v1/models)
	  --api-key <key>               bearer token (default $VLLM_API_KEY)
	  --header 'K: V'               extra request header (repeatable)
	  -n, --num-prompts <n>         requests to send (default 1000; none with --duration alone)
	  --duration <s>                stop sending after this many seconds
	  --max-concurrency <n>         at most this many requests in flight
	  --timeout <s>                 deadline of one request (default 600)
	  --drain-timeout <s>           after Ctrl-C, wait this long for requests in flight (default 10)

	Workload
	  --dataset random|sharegpt     random token-id prompts (default) or ShareGPT conversations
	  --dataset-path <file>         the ShareGPT JSON file
	  --input-len <n>               random: prompt tokens (default 1024)
	  --output-len <n>              random: answer tokens, exact with ignore_eos (default 128)
	  --range-ratio <r>             random: lengths uniform in len x [1-r, 1+r] (default 0)
	  --prefix-len <n>              random: tokens every prompt shares, for prefix caching (default 0)
	  --seed <n>                    seed of prompts and arrivals (default 0)

	Arrivals
	  --request-rate <r|inf>        requests per second, Poisson (default inf: all at once)
	  --burstiness <b>              gamma shape of the gaps: 1 Poisson, < 1 burstier, > 1 steadier
	  --sweep                       synchronous, then rising rates up to the throughput limit; finds the knee
	  --sweep-steps <n>             runs in a sweep (default 6)

	Report
	  --percentiles 50,90,99        percentiles to report (default 99)
	  --goodput 'ttft:500 tpot:50'  SLOs in ms (ttft, tpot, e2el): requests meeting all count as good
	  --min-goodput <r|p%>          exit 1 below this goodput, in req/s or as a share (default 95%)
	  --save-result <file>          write the result JSON (vllm bench serve key names)
	  --save-detailed               add per-request arrays to it
	  --json                        print the result JSON instead of the report
	  --plain                       progress lines on stderr instead of the full-screen view
	  --no-color, --ascii           plain terminal output

	Exit codes: 0 done, 1 goodput below --min-goodput, 2 bad flags, 3 server unreachable, 130 Ctrl-C.

	Examples
	  $ vllm-top simulate --no-traffic &
	  $ vllm-top bench --request-rate 10 -n 200 --input-len 256 --output-len 64
`;

/** `vllm-top bench ...`: its own flags and help, then the run. */
export async function runBenchCli(argv: readonly string[]): Promise<number> {
	const cli = meow(help, {
		importMeta: import.meta,
		argv: [...argv],
		allowUnknownFlags: true,
		flags: benchFlagSpecs,
	});
	const unknown = Object.keys(cli.flags).filter(
		name => !(name in benchFlagSpecs),
	);
	if (unknown.length > 0) {
		const flag = unknown[0]!.replaceAll(
			/[A-Z]/g,
			letter => `-${letter.toLowerCase()}`,
		);
		process.stderr.write(
			`vllm-top bench: unknown flag --${flag} (see vllm-top bench --help)\n`,
		);
		return 2;
	}

	const resolved = resolveBenchOptions(cli.input, cli.flags, process.env);
	if (!resolved.ok) {
		process.stderr.write(
			`vllm-top bench: ${resolved.error} (see vllm-top bench --help)\n`,
		);
		return 2;
	}

	const controller = new AbortController();
	const onSignal = () => {
		controller.abort();
	};

	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	try {
		const {options} = resolved;
		const tui =
			options.output === 'tui' && process.stdout.isTTY && process.stdin.isTTY;
		const {runBench} = await import('./bench-command.js');
		const viewLoader = tui ? await import('./bench-view-loader.js') : undefined;
		const startView = viewLoader?.benchViewStarter(options);
		return await runBench(
			{
				...options,
				output: options.output === 'tui' && !tui ? 'plain' : options.output,
			},
			{
				stdout: process.stdout,
				stderr: process.stderr,
				signal: controller.signal,
				startView,
			},
		);
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}
