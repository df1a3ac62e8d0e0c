/**
A stream that writes through to another with every control character shown as an escape (line breaks kept): the
messages a mode writes to stderr carry strings from servers and files, and none of them may drive the terminal.
Writes pass through synchronously, so nothing is lost when the process exits right after.
*/
import {Writable} from 'node:stream';
import {printableLines} from '../format/printable.js';

export function printableStream(target: NodeJS.WritableStream): Writable {
	return new Writable({
		decodeStrings: false,
		write(chunk: string | Buffer, _encoding, callback) {
			target.write(printableLines(String(chunk)));
			callback();
		},
	});
}
