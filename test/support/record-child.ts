/**
Records sample results in a tight loop until killed (or a bound is hit), for the crash-safety test: `record-child.ts FILE`.
Says "ready" on stdout once some lines are on disk.
*/
import process from 'node:process';
import {encodeRecord} from '../../source/record/record-line.js';
import {openRecorder} from '../../source/record/recorder.js';
import {sampleResult} from './recorded-results.js';

const file = process.argv[2];
if (file === undefined) {
	process.stderr.write('usage: record-child.ts FILE\n');
	process.exit(2);
}

const opened = await openRecorder(file, {
	onError(message) {
		process.stderr.write(`${message}\n`);
	},
});
if (!opened.ok) {
	process.stderr.write(`${opened.error}\n`);
	process.exit(1);
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
