/**
The value and timestamp ends of a `samples` line, as JSON.stringify writes them, appended as bytes: shared by the
writer that follows the parser and the one that reads a plain page's bytes.
*/
import type {ByteChunks} from './byte-chunks.js';

const encoder = new TextEncoder();

/** JSON has no NaN or Infinity; these spellings are Prometheus' own. */
const nanValue = encoder.encode('"NaN"');
const plusInfValue = encoder.encode('"+Inf"');
const minusInfValue = encoder.encode('"-Inf"');
const timestampKey = encoder.encode(',"timestamp_ms":');
const noTimestamp = encoder.encode(',"timestamp_ms":null}\n');
const lineEnd = encoder.encode('}\n');

/** Room for what `appendValue` and `appendTimestamp` write: two numbers as JavaScript prints them, and the keys. */
export const valueAndTimestampRoom = 96;

/** A finite number prints as JSON prints it. */
export function appendValue(lines: ByteChunks, value: number): void {
	if (Number.isFinite(value)) {
		lines.ascii(String(value));
	} else {
		lines.bytes(
			Number.isNaN(value) ? nanValue : value > 0 ? plusInfValue : minusInfValue,
		);
	}
}

/** The timestamp, then the end of the line: a number, or null (also for a number JSON cannot hold). */
export function appendTimestamp(
	lines: ByteChunks,
	timestampMs: number | null,
): void {
	if (timestampMs !== null && Number.isFinite(timestampMs)) {
		lines.bytes(timestampKey);
		lines.ascii(String(timestampMs));
		lines.bytes(lineEnd);
	} else {
		lines.bytes(noTimestamp);
	}
}
