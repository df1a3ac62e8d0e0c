/**
`--record FILE`: the session hooks that append every raw scrape and every `/version` + `/health` answer to the file,
and the listener that appends every GPU poll.
*/
import type {RecordedGpu} from '../record/gpu-record.js';
import {encodeEntry, encodeMeta, encodeRecord} from '../record/record-line.js';
import type {Recorder} from '../record/recorder.js';
import type {MonitorSessionOptions} from '../session/scrape-session.js';

export function recordingHooks(
	recorder: Recorder,
): Pick<MonitorSessionOptions, 'onResult' | 'onMeta'> {
	return {
		onResult(target, result) {
			recorder.write(encodeRecord(result, target.name));
		},
		onMeta(target, meta, at) {
			recorder.write(
				encodeMeta(
					{
						at,
						url: target.base,
						...(meta.version === null ? {} : {version: meta.version}),
						...(meta.healthStatus === null
							? {}
							: {healthStatus: meta.healthStatus}),
						...(meta.healthError === null
							? {}
							: {healthError: meta.healthError}),
					},
					target.name,
				),
			);
		},
	};
}

export function recordGpuPolls(
	recorder: Recorder,
): (entry: RecordedGpu) => void {
	return entry => {
		recorder.write(encodeEntry(entry));
	};
}
