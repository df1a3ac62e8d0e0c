/**
Where a watching mode's data comes from. Live scraping, the demo, `--prometheus` and `--replay` each make one `Source`;
`--once`, lines/JSON and the full-screen view each take one, so every source works with every output.
*/
import type {ScrapeClient} from '../scrape/scrape-client.js';
import type {MonitorSession} from '../session/session.js';

/** A recording's own keys and status lines, for the full-screen view. */
export type Player = {
	/** The status line while it plays. */
	readonly playing: string;
	/** Settles with a one-line note when the recording has been played to its end. */
	readonly ended: Promise<string>;
	/** Pauses or resumes; returns the status line to show. */
	togglePause(): string;
	/** The `]` key: skip ahead in recorded time. */
	jump(): void;
};

export type Source = {
	readonly session: MonitorSession;
	/** The one server the profiler key may act on; undefined with none or several, so a key never profiles a server not on screen. */
	readonly profiler:
		{readonly base: string; readonly client: ScrapeClient} | undefined;
	/** A recording's own keys; live sources have none. */
	readonly player?: Player;
	/**
	`--once`: fills the store up to the moment the report describes. False when it was cut short by the stop signal; a
	one-line error when the flags ask for a moment the source does not have (exit 2).
	*/
	settle(signal: AbortSignal): Promise<boolean | string>;
	/** Why `--once` has nothing to report when the store holds no target. */
	nothingToReport(): string;
	close(): Promise<void>;
};
