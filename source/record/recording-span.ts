import {stat} from 'node:fs/promises';
import {openRecording} from './read-recording.js';
import {entryAt} from './record-line.js';

/** The recorded times of a recording's first and last entries. */
export type RecordingSpan = {
	readonly startAt: number;
	readonly endAt: number;
};

/**
Reads a recording through once for its first and last times, so a replay can say how far along it is. Only a regular
file has an end to find: a pipe or a device gives undefined at once. Bad lines are skipped quietly (the replay itself
warns about them); aborting `signal` stops the reading.
*/
export async function recordingSpan(
	file: string,
	signal: AbortSignal,
): Promise<RecordingSpan | undefined> {
	const stats = await stat(file).catch(() => undefined);
	if (!stats?.isFile()) {
		return undefined;
	}

	const opened = await openRecording(file, () => undefined, signal);
	if (!opened.ok) {
		return undefined;
	}

	let startAt: number | undefined;
	let endAt: number | undefined;
	for await (const entry of opened.entries) {
		const at = entryAt(entry);
		startAt ??= at;
		// Concurrent scrapes finish out of order, so the last line is not always the latest.
		endAt = Math.max(endAt ?? at, at);
	}

	return startAt === undefined || endAt === undefined || signal.aborted
		? undefined
		: {startAt, endAt};
}
