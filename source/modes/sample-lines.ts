/**
The NDJSON lines of `samples`, written while the page is parsed: the parser's own scanner, with each sample appended
as bytes instead of filed into the page. A page repeats names and label sets (the parser interns equal sets into one
object), so each name and each label set is serialised once and its bytes reused; nothing per sample outlives its line.
*/
import type {Labels, Sample} from '../parse/page.js';
import {ExpositionScanner} from '../parse/parse-exposition.js';
import type {SampleRoute} from '../parse/family-resolution.js';
import {ByteChunks} from './byte-chunks.js';

const encoder = new TextEncoder();

/** JSON has no NaN or Infinity; these spellings are Prometheus' own. */
const nanValue = encoder.encode('"NaN"');
const plusInfValue = encoder.encode('"+Inf"');
const minusInfValue = encoder.encode('"-Inf"');
const timestampKey = encoder.encode(',"timestamp_ms":');
const noTimestamp = encoder.encode(',"timestamp_ms":null}\n');
const lineEnd = encoder.encode('}\n');

/** Longest number as JavaScript prints it (`-1.2345678901234567e-308`), with room to spare. */
const numberRoom = 32;

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
		lines.room(namePrefix.length + labelPart.length + 2 * numberRoom + 24);
		lines.bytes(namePrefix);
		lines.bytes(labelPart);
		this.value(sample.value);
		const {timestampMs} = sample;
		// JSON.stringify's spelling of a timestamp: a number, or null (also for a number JSON cannot hold).
		if (timestampMs !== null && Number.isFinite(timestampMs)) {
			lines.bytes(timestampKey);
			lines.ascii(String(timestampMs));
			lines.bytes(lineEnd);
		} else {
			lines.bytes(noTimestamp);
		}
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

	/** A finite number prints as JSON prints it. */
	private value(value: number): void {
		if (Number.isFinite(value)) {
			this.lines.ascii(String(value));
		} else {
			this.lines.bytes(
				Number.isNaN(value)
					? nanValue
					: value > 0
						? plusInfValue
						: minusInfValue,
			);
		}
	}
}
