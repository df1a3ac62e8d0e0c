/**
The moment `--once --replay FILE --at TIME` reports on.

TIME is either an offset from the recording's first record, in seconds (`90`, `+90`, `90s`, `1.5s`) or in h/m/s
parts (`1m30s`, `2h`, `1h5m`), or an ISO 8601 time (`2025-01-02T14:03:20Z`, `2025-01-02T14:03:20+01:00`;
without a zone it is local time). A bare number is always seconds from the start, never an epoch.

The moment includes every record before the first one recorded after it, so a reader can stop at that record
instead of reading the rest of the file.
*/
export type Moment =
	| {readonly kind: 'offset'; readonly ms: number}
	| {readonly kind: 'absolute'; readonly epochMs: number};

export type ParsedMoment =
	| {readonly ok: true; readonly moment: Moment}
	| {readonly ok: false; readonly error: string};

const seconds = /^\+?(\d+(?:\.\d+)?)s?$/v;
const parts =
	/^\+?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/v;
const isoStart = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}|$)/v;
const leadingPlus = /^\+/v;

export function parseMoment(text: string): ParsedMoment {
	const trimmed = text.trim();
	const plain = seconds.exec(trimmed);
	if (plain?.[1] !== undefined) {
		return {ok: true, moment: {kind: 'offset', ms: Number(plain[1]) * 1000}};
	}

	const split = parts.exec(trimmed);
	if (split !== null && trimmed.replace(leadingPlus, '') !== '') {
		const [, hours = '0', minutes = '0', secs = '0'] = split;
		const ms =
			(Number(hours) * 3600 + Number(minutes) * 60 + Number(secs)) * 1000;
		return {ok: true, moment: {kind: 'offset', ms}};
	}

	if (isoStart.test(trimmed)) {
		const epochMs = Date.parse(trimmed.replace(' ', 'T'));
		if (Number.isFinite(epochMs)) {
			return {ok: true, moment: {kind: 'absolute', epochMs}};
		}
	}

	return {
		ok: false,
		error: `--at ${JSON.stringify(text)} is not a time; give seconds from the start of the recording (90, +90s, 1m30s, 1h5m) or an ISO time (2025-01-02T14:03:20Z)`,
	};
}

/** The epoch ms the moment stands for in a recording whose first record is at `startAt`. */
export function momentCutoff(moment: Moment, startAt: number): number {
	return moment.kind === 'offset' ? startAt + moment.ms : moment.epochMs;
}

export type FoundMoment =
	| {
			readonly ok: true;
			/** Index of the last record that belongs to the moment. */
			readonly index: number;
			readonly cutoffMs: number;
			/** The moment is after the last record: the snapshot is the recording's end. */
			readonly beyondEnd: boolean;
	  }
	| {readonly ok: false; readonly error: string};

/** Which of the recorded times (in file order) make up the moment `at`. */
export function findMoment(
	recordTimes: readonly number[],
	at: string,
): FoundMoment {
	const parsed = parseMoment(at);
	if (!parsed.ok) {
		return parsed;
	}

	const startAt = recordTimes[0];
	if (startAt === undefined) {
		return {ok: false, error: 'the recording holds no records'};
	}

	const cutoffMs = momentCutoff(parsed.moment, startAt);
	const after = recordTimes.findIndex(time => time > cutoffMs);
	if (after === 0) {
		return {
			ok: false,
			error: `--at ${at} is before the recording starts (${new Date(startAt).toISOString()}); give a later time`,
		};
	}

	return {
		ok: true,
		index: after === -1 ? recordTimes.length - 1 : after - 1,
		cutoffMs,
		beyondEnd: after === -1,
	};
}
