/**
The NDJSON lines of `samples`, written while the page is parsed: the parser's own scanner, with each sample appended
as bytes instead of filed into the page. A page repeats names and label sets (the parser interns equal sets into one
object), so each name and each label set is serialised once and its bytes reused; nothing per sample outlives its line.
*/
import type {Labels, Sample} from '../parse/page.js';
import {ExpositionScanner} from '../parse/parse-exposition.js';
import type {SampleRoute} from '../parse/family-resolution.js';
import {ByteChunks} from './byte-chunks.js';
import {
	appendTimestamp,
	appendValue,
	valueAndTimestampRoom,
} from './sample-json.js';

const encoder = new TextEncoder();

export class SampleLineScanner extends ExpositionScanner {
	readonly lines: ByteChunks;

	private readonly namePrefixes = new Map<string, Uint8Array>();

	private readonly labelParts = new Map<Labels, Uint8Array>();

	private lastName = '';

	private namePrefix: Uint8Array = encoder.encode('{"name":"","labels":');

	private lastLabels: Labels | undefined;

	private labelPart: Uint8Array = new Uint8Array(0);

	constructor(
		text: string,
		format: 'text' | 'openmetrics',
		chunkSize?: number,
	) {
		super(text, format);
		this.lines = new ByteChunks(chunkSize);
	}

	protected override addSample(
		sample: Sample,
		known: SampleRoute | undefined,
		nameEnd: number,
	): void {
		this.routeOf(sample.name, known, nameEnd);
		const {lines} = this;
		const namePrefix = this.namePrefixOf(sample.name);
		const labelPart = this.labelPartOf(sample.labels);
		lines.room(namePrefix.length + labelPart.length + valueAndTimestampRoom);
		lines.bytes(namePrefix);
		lines.bytes(labelPart);
		appendValue(lines, sample.value);
		appendTimestamp(lines, sample.timestampMs);
	}

	private namePrefixOf(name: string): Uint8Array {
		if (name !== this.lastName) {
			let prefix = this.namePrefixes.get(name);
			if (prefix === undefined) {
				prefix = encoder.encode(
					'{"name":' + JSON.stringify(name) + ',"labels":',
				);
				this.namePrefixes.set(name, prefix);
			}

			this.lastName = name;
			this.namePrefix = prefix;
		}

		return this.namePrefix;
	}

	private labelPartOf(labels: Labels): Uint8Array {
		if (labels !== this.lastLabels) {
			let part = this.labelParts.get(labels);
			if (part === undefined) {
				part = encoder.encode(JSON.stringify(labels) + ',"value":');
				this.labelParts.set(labels, part);
			}

			this.lastLabels = labels;
			this.labelPart = part;
		}

		return this.labelPart;
	}
}
