/**
A GPU poll in a recording, so a replay shows the GPU panel and judges the GPU rules as the live view did:

	{"v":1,"type":"gpu","at":1735689600000,"source":"nvidia-smi","names":["h:8000"],"ok":true,"gpus":[{...}]}
	{"v":1,"type":"gpu","at":...,"source":"http://gpu-a:9400/metrics","names":["a","b"],"ok":false,"error":"..."}

`source` is the tool or DCGM page polled, `names` the targets it describes, and each GPU is a `GpuReading` field for
field. A line that does not hold one, to the field, is refused like any damaged line (`decode-gpu-record.ts`).
*/
import type {GpuOutcome} from '../gpu/gpu-panel.js';

export type RecordedGpu = {
	readonly type: 'gpu';
	/** Epoch ms of the poll's answer. */
	readonly at: number;
	readonly source: string;
	/** The targets this source describes, by the names their scrape records carry. */
	readonly names: readonly string[];
	readonly outcome: GpuOutcome;
};

/** One line without its newline; `v` and `type` lead, as in every record. */
export function encodeGpu(entry: RecordedGpu, version: number): string {
	const {outcome: answer} = entry;
	return JSON.stringify({
		v: version,
		type: 'gpu',
		at: entry.at,
		source: entry.source,
		names: entry.names,
		...(answer.ok
			? {ok: true, gpus: answer.gpus}
			: {ok: false, error: answer.error}),
	});
}
