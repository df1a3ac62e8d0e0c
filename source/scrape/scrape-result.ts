/**
What one scrape of one target produced. Every failure is a value, never an exception.
*/

export type ScrapeFailureKind =
	| 'refused'
	| 'timeout'
	| 'http-status'
	| 'too-large'
	| 'not-prometheus'
	| 'tls'
	| 'network';

export type ScrapeSuccess = {
	readonly ok: true;
	readonly url: string;
	/** Epoch ms when the scrape started. */
	readonly at: number;
	readonly durationMs: number;
	readonly status: number;
	readonly contentType: string;
	/** Decoded body text. */
	readonly body: string;
};

export type ScrapeFailure = {
	readonly ok: false;
	readonly url: string;
	readonly at: number;
	readonly durationMs: number;
	readonly kind: ScrapeFailureKind;
	readonly status?: number;
	/** One line naming the URL, the cause and what to do. */
	readonly message: string;
	/** The line of the page that was rejected (bytes that are not UTF-8). */
	readonly line?: number;
};

export type ScrapeResult = ScrapeSuccess | ScrapeFailure;
