import type {ExpositionFormat} from './page.js';

/** Prometheus picks its parser by media type; anything that is not OpenMetrics is read as the 0.0.4 text format. */
export function formatFromContentType(
	contentType: string | undefined,
): ExpositionFormat {
	if (contentType === undefined) {
		return 'text';
	}

	const semicolon = contentType.indexOf(';');
	const mediaType = (
		semicolon === -1 ? contentType : contentType.slice(0, semicolon)
	)
		.trim()
		.toLowerCase();
	return mediaType === 'application/openmetrics-text' ? 'openmetrics' : 'text';
}
