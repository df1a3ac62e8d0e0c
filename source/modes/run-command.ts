/**
Dispatches validated options to a mode, with the process's streams, and turns SIGINT/SIGTERM into an abort signal
so every mode can stop cleanly.
*/
import process from 'node:process';
import type {CliOptions} from '../config/cli-options.js';
import type {ModeIo} from './mode-io.js';

export async function runCommand(options: CliOptions): Promise<number> {
	const controller = new AbortController();
	const onSignal = () => {
		controller.abort();
	};

	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	const io: ModeIo = {
		stdin: process.stdin,
		stdout: process.stdout,
		stderr: process.stderr,
		signal: controller.signal,
	};
	try {
		switch (options.command) {
			case 'samples': {
				const {runSamplesCommand} = await import('./samples-command.js');
				return await runSamplesCommand(options, io);
			}

			case 'simulate': {
				const {runSimulateCommand} = await import('./simulate-command.js');
				return await runSimulateCommand(options, io);
			}

			case 'profile': {
				const {runProfileCommand} = await import('./profile.js');
				return await runProfileCommand(options, io);
			}

			case 'monitor': {
				const {runMonitorCommand} = await import('./monitor-command.js');
				return await runMonitorCommand(options, io);
			}
		}
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}
