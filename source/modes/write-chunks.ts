/**
Writes a long output in chunks, waiting for `drain` when the stream asks to, and stops quietly when the reader has
gone (`vllm-top samples FILE | head`): a closed pipe is the reader's choice, not an error worth a stack trace.
*/
import {once} from 'node:events';

export type WriteOutcome = 'done' | 'closed' | 'aborted';

function isClosedPipe(error: unknown): boolean {
	const code =
		typeof error === 'object' && error !== null && 'code' in error
			? error.code
			: undefined;
	return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

const ignore = () => undefined;

/** True once the stream drains; false when it closes or the mode stops first. */
async function drained(
	stream: NodeJS.WritableStream,
	signal: AbortSignal,
): Promise<boolean> {
	const done = new AbortController();
	const stop = AbortSignal.any([signal, done.signal]);
	try {
		return await Promise.race([
			once(stream, 'drain', {signal: stop}).then(
				() => true,
				() => false,
			),
			once(stream, 'close', {signal: stop}).then(
				() => false,
				() => false,
			),
		]);
	} finally {
		done.abort();
	}
}

export async function writeChunks(
	stream: NodeJS.WritableStream,
	chunks: Iterable<string | Uint8Array>,
	signal: AbortSignal,
): Promise<WriteOutcome> {
	let closed = false;
	let failure: Error | undefined;
	const onError = (error: unknown) => {
		closed = true;
		if (!isClosedPipe(error)) {
			failure =
				error instanceof Error
					? error
					: new Error(`write failed: ${String(error)}`);
		}
	};

	stream.on('error', onError);
	try {
		for (const chunk of chunks) {
			if (closed || signal.aborted) {
				break;
			}

			if (!stream.write(chunk) && !(await drained(stream, signal))) {
				break;
			}
		}
	} finally {
		// A closed pipe may report its error after the last write: it must never be unhandled.
		stream.off('error', onError);
		stream.on('error', ignore);
	}

	if (failure !== undefined) {
		throw failure;
	}

	return closed ? 'closed' : signal.aborted ? 'aborted' : 'done';
}
