import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {
	scenarioNames,
	startSimulator,
} from '../source/simulator/simulator-server.js';
import {fixturePath} from './support/fixture-path.js';

/**
`promtool check metrics` exits 1 on a parse error and 3 on lint findings. A real vLLM page already gets these lint
findings, so the simulator's pages may get them too, and nothing else.
*/
const acceptedFindings = [
	/^vllm:\w+ metric names should not contain ':'$/v,
	/^vllm:iteration_tokens_total non-counter metrics should not have "_total" suffix$/v,
	/^vllm:avg_(?:prompt|generation)_throughput_toks_per_s metric names should not contain abbreviated units$/v,
];

const hasPromtool =
	spawnSync('promtool', ['--version'], {encoding: 'utf8'}).status === 0;

function checkMetrics(page: string): {
	status: number | null;
	findings: string[];
	stdout: string;
} {
	const result = spawnSync('promtool', ['check', 'metrics'], {
		input: page,
		encoding: 'utf8',
		timeout: 30_000,
	});
	const findings = `${result.stdout}\n${result.stderr}`
		.split('\n')
		.map(line => line.trim())
		.filter(line => line.length > 0);
	return {status: result.status, findings, stdout: result.stdout};
}

function unaccepted(findings: readonly string[]): string[] {
	return findings.filter(
		line => !acceptedFindings.some(pattern => pattern.test(line)),
	);
}

test(
	'promtool finds on real vLLM pages exactly the kinds of findings accepted here',
	{timeout: 60_000},
	t => {
		if (!hasPromtool) {
			t.skip('promtool not installed: apt-get install prometheus');
			return;
		}

		const fixtures = path.dirname(fixturePath('vllm-v0-opt125m.txt'));

		for (const fixture of [
			'vllm-v0-opt125m.txt',
			'vllm-v1-generated-dp2-specdec-lora.txt',
		]) {
			const page = readFileSync(path.join(fixtures, fixture), 'utf8');
			const {status, findings} = checkMetrics(page);
			assert.equal(status, 3, `${fixture}: lint findings but no parse error`);
			assert.deepEqual(unaccepted(findings), [], fixture);
		}
	},
);

test(
	'every scenario, V1 and V0, scrapes into a page promtool parses with only the accepted findings',
	{timeout: 600_000},
	async t => {
		if (!hasPromtool) {
			t.skip('promtool not installed: apt-get install prometheus');
			return;
		}

		for (const legacyV0 of [false, true]) {
			for (const scenario of scenarioNames) {
				const simulator = await startSimulator({
					scenario,
					legacyV0,
					// V1 pages carry the offload families too; V0 has no offload connector.
					kvOffload: true,
					seed: 5,
					timeScale: 0,
					flakyHangMs: 100,
				});
				try {
					simulator.advance(30);
					let page: string | undefined;
					for (let attempt = 0; attempt < 30 && page === undefined; attempt++) {
						try {
							const response = await fetch(`${simulator.url}/metrics`, {
								signal: AbortSignal.timeout(5000),
							});
							const text = await response.text();
							if (response.status === 200) {
								page = text;
							}
						} catch {
							// `flaky` drops some connections on purpose; scrape again.
						}
					}

					const where = `${scenario} ${legacyV0 ? 'V0' : 'V1'}`;
					assert.ok(page, `${where}: no successful scrape`);
					assert.match(page, /^# HELP vllm:/mv, where);
					const {status, findings} = checkMetrics(page);
					assert.notEqual(
						status,
						1,
						`${where}: promtool could not parse the page: ${findings.join(' / ')}`,
					);
					assert.ok(
						status === 0 || status === 3,
						`${where}: promtool exit status ${status}`,
					);
					assert.deepEqual(unaccepted(findings), [], where);
				} finally {
					await simulator.stop();
				}
			}
		}
	},
);
