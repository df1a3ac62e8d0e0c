/**
A server that sends terminal escape sequences in its model name, its version and its errors: none of them reaches
the terminal raw in `--once`, the plain line, stderr or the full-screen view, while JSON keeps the strings as sent.
*/
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {z} from 'zod';
import {printable, printableDeep} from '../source/format/printable.js';
import type {TestServer} from './support/http-server.js';
import {
	evil,
	evilShown,
	startEscapeServer,
	terminalControls,
} from './support/hostile-server.js';
import {cliMissing, repoRoot, runCli, startCli} from './support/run-cli.js';
import {startTmux, tmuxMissing} from './support/tmux.js';

let server: TestServer;
before(async () => {
	server = await startEscapeServer();
});
after(async () => {
	await server.close();
});

function assertNoControls(text: string, where: string): void {
	assert.doesNotMatch(
		text,
		terminalControls,
		`${where}:\n${JSON.stringify(text)}`,
	);
}

describe('printable', () => {
	test('shows every control character as an escape and leaves the rest', () => {
		assert.equal(printable(evil), evilShown);
		assert.equal(
			printable('a\u0085b\u202Ec\u007F\td'),
			String.raw`a\x85b\u202ec\x7f\x09d`,
		);
		assert.equal(printable('Llama-3.1 · 8B ✓ é'), 'Llama-3.1 · 8B ✓ é');
		assert.equal(printable('one\ntwo'), String.raw`one\x0atwo`);
	});

	test('a deep copy sanitises every string and key, nothing else', () => {
		const value = {n: 1, list: [evil, null], [evil]: {ok: true}};
		const copy = printableDeep(value);
		assert.deepEqual(copy, {
			n: 1,
			list: [evilShown, null],
			[evilShown]: {ok: true},
		});
	});
});

describe(
	'a server that sends escape sequences',
	{skip: cliMissing, timeout: 60_000},
	() => {
		test('--once text shows them as visible escapes, on stdout and stderr alike', async () => {
			const result = await runCli(['--once', '-i', '0.5', server.url]);
			assertNoControls(result.stdout, 'stdout');
			assertNoControls(result.stderr, 'stderr');
			assert.ok(result.stdout.includes(evilShown), result.stdout);
		});

		test('--once --json keeps the raw strings: JSON escapes them itself', async () => {
			const result = await runCli([
				'--once',
				'--json',
				'-i',
				'0.5',
				server.url,
			]);
			assertNoControls(result.stdout, 'stdout');
			const document = z
				.object({
					server: z.object({version: z.string(), models: z.array(z.string())}),
				})
				.parse(JSON.parse(result.stdout));
			assert.equal(document.server.version, evil);
			assert.deepEqual(document.server.models, [evil]);
		});

		test('the plain line and its errors, and a targets file name, show them visibly', async () => {
			const directory = mkdtempSync(path.join(tmpdir(), 'vllm-top-hostile-'));
			const targets = path.join(directory, 'targets.yaml');
			writeFileSync(
				targets,
				`targets:\n  - name: ${JSON.stringify(evil)}\n    url: ${server.url}/bad\n`,
			);
			const running = startCli(['--plain', '-i', '0.5', '--targets', targets]);
			try {
				const line = await running.waitForLine(text => text.includes('Error:'));
				assert.ok(line.includes(`${evilShown} DOWN`), line);
				assert.match(line, /invalid value "1.*PWNED/u);
			} finally {
				const result = await running.stop('SIGINT');
				assertNoControls(result.stdout, 'stdout');
				assertNoControls(result.stderr, 'stderr');
			}
		});
	},
);

describe(
	'the full-screen view against it',
	{skip: cliMissing ?? tmuxMissing(), timeout: 60_000},
	() => {
		test('the pane title is unchanged and the screen shows the escapes as text', async () => {
			const tmux = startTmux({
				command: `node dist/cli.js -i 1 ${server.url}`,
				columns: 120,
				rows: 30,
				cwd: repoRoot,
			});
			try {
				const title = tmux.display('#{pane_title}');
				const screen = await tmux.waitFor(
					current => current.includes(String.raw`\x1b]0;PWNED`),
					25_000,
				);
				assert.match(screen, /\[(?:OK|WARN|CRIT)\]/u, screen);
				assert.equal(tmux.display('#{pane_title}'), title);
				assert.ok(!tmux.display('#{pane_title}').includes('PWNED'));
				assertNoControls(tmux.capture(), 'screen');
			} finally {
				tmux.kill();
			}
		});
	},
);

// Keeps the helper honest: the control check sees raw bytes when they are there.
test('the check for control bytes is not vacuous', () => {
	assert.match(`x${evil}`, terminalControls);
	assert.doesNotMatch(
		execFileSync('printf', ['plain']).toString(),
		terminalControls,
	);
});
