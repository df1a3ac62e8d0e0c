/**
Closing the terminal or the ssh session (SIGHUP), Ctrl-\ (SIGQUIT) and an uncaught error give the terminal back
exactly as q does: alternate screen off, cursor shown, the tty's settings as they were before.
*/
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {startHttpServer, type TestServer} from './support/http-server.js';
import {cliMissing, repoRoot} from './support/run-cli.js';
import {startTmux, tmuxMissing} from './support/tmux.js';

let server: TestServer;
before(async () => {
	server = await startHttpServer((_request, response) => {
		response.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
		response.end('vllm:num_requests_running{model_name="m"} 2\n');
	});
});
after(async () => {
	await server.close();
});

/** The CLI against the server, then what it left: its exit code and whether the tty's settings are as before. */
function wrapped(): string {
	return `B=$(stty -g); node dist/cli.js -i 1 ${server.url}; echo EXITED:$?; [ "$(stty -g)" = "$B" ] && echo STTY:same || echo STTY:changed; sleep 30`;
}

function childPid(parent: string): number {
	const output = execFileSync('pgrep', ['-P', parent], {encoding: 'utf8'});
	const pid = Number.parseInt(output.trim().split('\n')[0] ?? '', 10);
	assert.ok(pid > 0, `a child of ${parent}: ${output}`);
	return pid;
}

describe(
	'signals that end the full-screen view',
	{skip: cliMissing ?? tmuxMissing(), timeout: 90_000},
	() => {
		for (const signal of ['SIGHUP', 'SIGQUIT'] as const) {
			test(`${signal} restores the terminal as q does`, async () => {
				const tmux = startTmux({
					command: wrapped(),
					columns: 100,
					rows: 30,
					cwd: repoRoot,
				});
				try {
					await tmux.waitFor(screen => screen.includes('q quit'), 25_000);
					assert.equal(tmux.display('#{alternate_on}'), '1');
					process.kill(childPid(tmux.display('#{pane_pid}')), signal);
					const screen = await tmux.waitFor(
						current => /^STTY:/mu.test(current),
						10_000,
					);
					assert.match(screen, /^EXITED:0$/mu);
					assert.match(screen, /^STTY:same$/mu, screen);
					assert.equal(
						tmux.display('#{alternate_on}'),
						'0',
						'alternate screen left',
					);
					assert.equal(tmux.display('#{cursor_flag}'), '1', 'cursor shown');
					assert.ok(
						!screen.includes('q quit'),
						`nothing of the view is left:\n${screen}`,
					);
				} finally {
					tmux.kill();
				}
			});
		}
	},
);

/** What an ended view must leave: the tty's settings as before, the alternate screen off, the cursor shown. */
async function assertRestored(
	tmux: ReturnType<typeof startTmux>,
): Promise<string> {
	const screen = await tmux.waitFor(
		current => /^STTY:/mu.test(current),
		10_000,
	);
	assert.match(screen, /^STTY:same$/mu, screen);
	assert.equal(tmux.display('#{alternate_on}'), '0', 'alternate screen left');
	assert.equal(tmux.display('#{cursor_flag}'), '1', 'cursor shown');
	assert.ok(
		!screen.includes('q quit'),
		`nothing of the view is left:\n${screen}`,
	);
	return screen;
}

/*
No input from outside makes the view throw (hostile pages, files and keys are handled where they come in), so the
fault is made on purpose in a child that runs the same `runTui` and handles its end as `runScreen` does.
*/
describe(
	'an uncaught error in the full-screen view',
	{skip: tmuxMissing(), timeout: 90_000},
	() => {
		for (const [fault, message] of [
			['exception', 'thrown on purpose'],
			['rejection', 'rejected on purpose'],
		] as const) {
			test(`an uncaught ${fault} restores the terminal as q does and names the error`, async () => {
				const tmux = startTmux({
					command: `B=$(stty -g); node --import tsx test/support/throwing-tui.ts ${fault}; echo EXITED:$?; [ "$(stty -g)" = "$B" ] && echo STTY:same || echo STTY:changed; sleep 30`,
					columns: 100,
					rows: 30,
					cwd: repoRoot,
				});
				try {
					await tmux.waitFor(screen => screen.includes('q quit'), 30_000);
					assert.equal(tmux.display('#{alternate_on}'), '1');
					process.kill(childPid(tmux.display('#{pane_pid}')), 'SIGUSR2');
					const screen = await assertRestored(tmux);
					assert.match(screen, /^EXITED:1$/mu);
					assert.match(screen, new RegExp(`^vllm-top: ${message}$`, 'mu'));
				} finally {
					tmux.kill();
				}
			});
		}

		test('q restores it the same way (the reference)', async () => {
			const tmux = startTmux({
				command: `B=$(stty -g); node --import tsx test/support/throwing-tui.ts; echo EXITED:$?; [ "$(stty -g)" = "$B" ] && echo STTY:same || echo STTY:changed; sleep 30`,
				columns: 100,
				rows: 30,
				cwd: repoRoot,
			});
			try {
				await tmux.waitFor(screen => screen.includes('q quit'), 30_000);
				tmux.sendKeys('q');
				const screen = await assertRestored(tmux);
				assert.match(screen, /^EXITED:0$/mu);
			} finally {
				tmux.kill();
			}
		});
	},
);
