/**
A recording process for tests that need a real process around the recorder: `record-child.ts FILE [MODE]`.

MODE `loop` (the default) records sample results in a tight loop until killed (or a bound is hit), for the kill -9
test, and says "ready" on stdout once some lines are on disk. MODE `sizes` writes the sample lines of the sizes given
as further arguments (body bytes) and prints `{"errors":[...],"recovered":N}`, for running under a file-size limit.
*/
import process from 'node:process';
import {encodeRecord} from '../../source/record/record-line.js';
import {openRecorder} from '../../source/record/recorder.js';
import {sampleResult} from './recorded-results.js';

const [file, mode = 'loop', ...sizes] = process.argv.slice(2);
if (file === undefined || (mode !== 'loop' && mode !== 'sizes')) {
	process.stderr.write('usage: record-child.ts FILE [loop | sizes N...]\n');
	process.exit(2);
}

const errors: string[] = [];
let recovered = 0;
const opened = await openRecorder(file, {
	onError(message) {
		errors.push(message);
		process.stderr.write(`${message}\n`);
	},
	onRecover() {
		recovered++;
	},
});
if (!opened.ok) {
	process.stderr.write(`${opened.error}\n`);
	process.exit(1);
}

if (mode === 'sizes') {
	for (const [index, size] of sizes.entries()) {
		opened.recorder.write(
			encodeRecord(sampleResult(index * 7, Number(size)), 'child'),
		);
	}

	await opened.recorder.close();
	process.stdout.write(`${JSON.stringify({errors, recovered})}\n`);
	process.exit(0);
}

// Bounded, so a test that fails to kill it cannot fill the disk.
const deadline = Date.now() + 15_000;
for (let index = 0; index < 5000 && Date.now() < deadline; index++) {
	opened.recorder.write(encodeRecord(sampleResult(index, 20_000), 'child'));
	if (index === 20) {
		process.stdout.write('ready\n');
	}

	if (index % 20 === 0) {
		// Lets the "ready" line out while the loop keeps the disk busy.
		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}
}
