import type {ScrapeResult} from '../../source/scrape/scrape-result.js';

/** The i-th result a recording test writes: deterministic, so a reader can check every line it gets back. */
export function sampleResult(index: number, bodyBytes = 2000): ScrapeResult {
	const at = 1_735_689_600_000 + index * 1000;
	const url = 'http://127.0.0.1:8000/metrics';
	if (index % 7 === 3) {
		return {
			ok: false,
			url,
			at,
			durationMs: 3000.25,
			kind: 'timeout',
			message: `${url}: no answer within 3 s (line ${index}); check the server`,
		};
	}

	if (index % 7 === 5) {
		return {
			ok: false,
			url,
			at,
			durationMs: 4.5,
			kind: 'http-status',
			status: 503,
			message: `${url}: HTTP 503 Service Unavailable; check the server log`,
		};
	}

	const line = `vllm:num_requests_running{model_name="m",engine="0"} ${index}\n`;
	return {
		ok: true,
		url,
		at,
		durationMs: 12.345 + index,
		status: 200,
		contentType: 'text/plain; version=0.0.4; charset=utf-8',
		body: `# HELP é ünïcode ✓ "quoted"\n${line.repeat(Math.max(1, Math.ceil(bodyBytes / line.length)))}`,
	};
}
