/**
Runs a local command-line tool (`nvidia-smi`) once, with a deadline and a cap on what it prints. Never throws and
never blocks the event loop: a missing tool, a hang, a non-zero exit or too much output is a one-line error.
*/
import {type ExecFileException, execFile} from 'node:child_process';

export type ToolResult =
	| {readonly ok: true; readonly stdout: string}
	| {readonly ok: false; readonly error: string};

export type ToolOptions = {
	readonly timeoutMs: number;
	readonly maxBytes?: number;
};

const defaultMaxBytes = 1024 * 1024;

function firstLine(text: string): string {
	return (
		text
			.split('\n')
			.map(line => line.trim())
			.find(line => line !== '')
			?.replaceAll(/[^\u0020-\u007E]/g, '?')
			.slice(0, 200) ?? ''
	);
}

export async function runTool(
	command: string,
	arguments_: readonly string[],
	options: ToolOptions,
): Promise<ToolResult> {
	return new Promise(resolve => {
		execFile(
			command,
			arguments_,
			{
				timeout: options.timeoutMs,
				killSignal: 'SIGKILL',
				maxBuffer: options.maxBytes ?? defaultMaxBytes,
				encoding: 'utf8',
				windowsHide: true,
			},
			(error, stdout, stderr) => {
				if (error === null) {
					resolve({ok: true, stdout});
					return;
				}

				resolve({ok: false, error: describe(command, options, error, stderr)});
			},
		);
	});
}

function describe(
	command: string,
	options: ToolOptions,
	error: ExecFileException,
	stderr: string,
): string {
	if (error.code === 'ENOENT') {
		return `${command} not found`;
	}

	if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
		return `${command} printed more than ${options.maxBytes ?? defaultMaxBytes} bytes; ignoring it`;
	}

	if (error.killed === true) {
		return `${command} did not answer within ${options.timeoutMs / 1000} s; is the driver stuck? (try running it by hand)`;
	}

	const said = firstLine(stderr);
	const code = typeof error.code === 'number' ? ` with code ${error.code}` : '';
	return `${command} failed${code}${said === '' ? '' : `: ${said}`}`;
}
