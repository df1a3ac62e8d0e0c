import {type Dispatcher, request} from 'undici';
import {decodeUtf8} from '../parse/decode-utf8.js';
import type {Page} from '../parse/page.js';
import {parseExposition} from '../parse/parse-exposition.js';
import {kvUsage} from './server-window.js';

/** Largest /metrics page read while benchmarking. */
const maxPageBytes = 16 * 1024 * 1024;

/** One /metrics page, or undefined when the server has none or does not answer in time. */
export async function fetchPage(
	url: string,
	headers: Readonly<Record<string, string>>,
	dispatcher: Dispatcher,
	timeoutMs: number,
): Promise<Page | undefined> {
	try {
		const response = await request(`${url}/metrics`, {
			headers,
			dispatcher,
			signal: AbortSignal.timeout(timeoutMs),
		});
		if (response.statusCode !== 200) {
			await response.body.dump();
			return undefined;
		}

		const chunks: Buffer[] = [];
		let size = 0;
		for await (const piece of response.body) {
			const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(String(piece));
			size += chunk.length;
			if (size > maxPageBytes) {
				response.body.destroy();
				return undefined;
			}

			chunks.push(chunk);
		}

		// Strict UTF-8, as every page is read: a page Prometheus would reject gives no server column either.
		const decoded = decodeUtf8(Buffer.concat(chunks, size));
		if (!decoded.ok) {
			return undefined;
		}

		const parsed = parseExposition(decoded.text, 'text');
		return parsed.ok ? parsed.page : undefined;
	} catch {
		return undefined;
	}
}

/** Scrapes /metrics every `everyMs` while a run lasts, keeping the KV usage it saw (bounded). */
export class ServerWatch {
	readonly kvSamples: number[] = [];
	readonly #scrape: () => Promise<Page | undefined>;
	#timer: NodeJS.Timeout | undefined;
	#busy = false;

	constructor(scrape: () => Promise<Page | undefined>) {
		this.#scrape = scrape;
	}

	start(everyMs: number): void {
		this.#timer = setInterval(() => {
			void this.#tick();
		}, everyMs);
	}

	stop(): void {
		clearInterval(this.#timer);
	}

	async #tick(): Promise<void> {
		if (this.#busy) {
			return;
		}

		this.#busy = true;
		const page = await this.#scrape();
		this.#busy = false;
		const usage = page ? kvUsage(page) : undefined;
		if (usage !== undefined && this.kvSamples.length < 100_000) {
			this.kvSamples.push(usage);
		}
	}
}
