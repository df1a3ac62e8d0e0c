/**
Baseline for the view benchmarks: the least an ink program costs. It renders one line and exits, or with `idle`
stays mounted until a signal, so start-up, idle CPU and memory of vllm-top can be read beside it. Plain JavaScript,
so it runs on plain node, as the built monitor does.
*/
import process from 'node:process';
import {render, Text} from 'ink';
import {createElement} from 'react';

const idle = process.argv.includes('idle');
const instance = render(createElement(Text, null, 'bare ink ready'), {
	patchConsole: false,
});
if (idle) {
	const stop = () => {
		instance.unmount();
	};

	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
	// Keeps the event loop alive the way a mounted view waiting for input would.
	const keepAlive = setInterval(() => undefined, 60_000);
	await instance.waitUntilExit();
	clearInterval(keepAlive);
} else {
	instance.unmount();
	await instance.waitUntilExit();
}
