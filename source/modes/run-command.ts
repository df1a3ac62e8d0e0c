/**
Dispatches validated options to a mode, with the process's streams, and turns SIGINT, SIGTERM, SIGHUP and SIGQUIT
into an abort signal, so every mode can stop cleanly. What a mode writes to stderr is made printable on the way.
*/
import process from 'node:process';
import type {CliOptions} from '../config/cli-options.js';
import type {ModeIo} from './mode-io.js';
import {printableStream} from './printable-stream.js';

/** SIGHUP comes when the terminal or the ssh session closes; SIGQUIT is Ctrl-\. Each ends a mode as Ctrl-C does. */
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

export async function runCommand(options: CliOptions): Promise<number> {
	const controller = new AbortController();
	const onSignal = () => {
		controller.abort();
	};

	for (const signal of stopSignals) {
		process.on(signal, onSignal);
	}

	const io: ModeIo = {
		stdin: process.stdin,
		stdout: process.stdout,
		stderr: printableStream(process.stderr),
		signal: controller.signal,
	};
	try {
		return await runMode(options, io);
	} finally {
		for (const signal of stopSignals) {
			process.off(signal, onSignal);
		}
	}
}

async function runMode(options: CliOptions, io: ModeIo): Promise<number> {
	switch (options.command) {
		case 'samples': {
			const {runSamplesCommand} = await import('./samples-command.js');
			return runSamplesCommand(options, io);
		}

		case 'simulate': {
			const {runSimulateCommand} = await import('./simulate-command.js');
			return runSimulateCommand(options, io);
		}

		case 'profile': {
			const {runProfileCommand} = await import('./profile.js');
			return runProfileCommand(options, io);
		}

		case 'export': {
			const {runExportCommand} = await import('./export-command.js');
			return runExportCommand(options, io);
		}

		case 'monitor': {
			const {runMonitorCommand} = await import('./monitor-command.js');
			return runMonitorCommand(options, io);
		}
	}
}
