/**
parse -> derive -> alerts for one scrape result: the pure step shared by live monitoring, `--once` and replay,
so a replayed recording goes through exactly the code the live run did.
*/
import type {AlertInput, HealthState} from '../alerts/alert-input.js';
import type {AlertConfig} from '../alerts/alert-config.js';
import {formatFromContentType} from '../parse/format-from-content-type.js';
import type {ExpositionFormat} from '../parse/page.js';
import {parseExposition} from '../parse/parse-exposition.js';
import type {ScrapeResult} from '../scrape/scrape-result.js';
import {reduceScrape, type TargetState} from './target-reducer.js';

export type IngestContext = {
	readonly windowSeconds: number;
	readonly alertConfig: AlertConfig;
	/** `--format`; otherwise from the response's Content-Type. */
	readonly format?: ExpositionFormat;
	readonly version?: string | null;
	readonly health?: HealthState;
	readonly instant?: boolean;
	readonly gpus?: AlertInput['gpus'];
};

export function ingestScrape(
	state: TargetState,
	result: ScrapeResult,
	context: IngestContext,
): TargetState {
	const page = result.ok
		? parseExposition(
				result.body,
				context.format ?? formatFromContentType(result.contentType),
			)
		: null;
	return reduceScrape(state, {
		result,
		page,
		at: result.at,
		windowSeconds: context.windowSeconds,
		alertConfig: context.alertConfig,
		version: context.version,
		health: context.health,
		instant: context.instant,
		gpus: context.gpus,
	});
}
