/**
The two Prometheus HTTP API calls the monitor needs, `/api/v1/query` and `/api/v1/query_range`, over the same
bounded client as scraping (deadline, TLS options), within a memory budget (see answer-budget.ts). The answer shape
is the same in Prometheus 2.x and 3.x; it is checked, so a proxy's HTML page or a Thanos error is one line, not a
crash.
*/
import {z} from 'zod';
import {
	createScrapeClient,
	type ScrapeClient,
} from '../scrape/scrape-client.js';
import {
	answersInFlight,
	createLimiter,
	maxAnswerBytes,
} from './answer-budget.js';

export type PrometheusAuth =
	| {readonly kind: 'bearer'; readonly token: string}
	| {readonly kind: 'basic'; readonly user: string; readonly password: string};

export type PrometheusClientOptions = {
	/** Where the API lives, e.g. http://prometheus:9090 (a path prefix is kept). */
	readonly url: string;
	readonly auth?: PrometheusAuth;
	/** Per-query deadline. Default 10000. */
	readonly timeoutMs?: number;
	readonly insecure?: boolean;
	/** Extra headers (e.g. `X-Scope-OrgID` for Mimir/Cortex). */
	readonly headers?: Readonly<Record<string, string>>;
};

/** One series of an answer: its labels, and one point (instant) or many (range), oldest first. */
export type PromSeries = {
	readonly labels: Readonly<Record<string, string>>;
	/** [unix seconds, value] pairs; NaN and Inf stay as they are. */
	readonly points: ReadonlyArray<readonly [number, number]>;
};

export type PromAnswer =
	| {readonly ok: true; readonly series: readonly PromSeries[]}
	| {readonly ok: false; readonly error: string};

export type PrometheusClient = {
	/** An instant query at `time` (unix seconds), or now. */
	query(promql: string, time?: number): Promise<PromAnswer>;
	/** A range query from `start` to `end` (unix seconds) every `step` seconds. */
	queryRange(
		promql: string,
		start: number,
		end: number,
		step: number,
	): Promise<PromAnswer>;
	close(): Promise<void>;
};

const answerSchema = z.discriminatedUnion('status', [
	z.object({
		status: z.literal('success'),
		data: z.object({
			resultType: z.enum(['vector', 'matrix', 'scalar', 'string']),
			result: z.unknown(),
		}),
	}),
	z.object({
		status: z.literal('error'),
		errorType: z.string().optional(),
		error: z.string().optional(),
	}),
]);

export function authHeader(auth: PrometheusAuth): string {
	return auth.kind === 'bearer'
		? `Bearer ${auth.token}`
		: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
}

/** Prometheus writes sample values as strings so NaN and ±Inf survive JSON. */
function parseValue(text: string): number {
	switch (text) {
		case '+Inf': {
			return Number.POSITIVE_INFINITY;
		}

		case '-Inf': {
			return Number.NEGATIVE_INFINITY;
		}

		default: {
			return Number(text);
		}
	}
}

/** Turns an API body into series, or one line naming what was wrong. */
export function readAnswer(json: unknown): PromAnswer {
	const checked = answerSchema.safeParse(json);
	if (!checked.success) {
		return {
			ok: false,
			error:
				'not a Prometheus API answer: is the URL the Prometheus server itself (e.g. http://prometheus:9090)?',
		};
	}

	const answer = checked.data;
	if (answer.status === 'error') {
		return {
			ok: false,
			error: `Prometheus refused the query (${answer.errorType ?? 'error'}): ${(answer.error ?? 'no detail').split('\n')[0]}`,
		};
	}

	if (
		answer.data.resultType !== 'vector' &&
		answer.data.resultType !== 'matrix'
	) {
		return {
			ok: false,
			error: `expected a vector or matrix answer, got ${answer.data.resultType}`,
		};
	}

	const series = readSeries(answer.data.result);
	return series === undefined
		? {ok: false, error: 'Prometheus answer has malformed series'}
		: {ok: true, series};
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readLabels(
	value: unknown,
): Readonly<Record<string, string>> | undefined {
	if (!isRecord(value)) {
		return undefined;
	}

	const labels: Record<string, string> = {};
	for (const [name, label] of Object.entries(value)) {
		if (typeof label !== 'string') {
			return undefined;
		}

		labels[name] = label;
	}

	return labels;
}

function readPoint(value: unknown): readonly [number, number] | undefined {
	if (
		Array.isArray(value) &&
		value.length === 2 &&
		typeof value[0] === 'number' &&
		typeof value[1] === 'string'
	) {
		return [value[0], parseValue(value[1])];
	}

	return undefined;
}

/**
The series of a vector or matrix answer, checked by hand: a schema library costs more than the rest of a refresh on
answers of thousands of series. A native histogram sample (`histogram`, `histograms`) is no float point and is left
out; no query of ours asks for one.
*/
function readSeries(result: unknown): PromSeries[] | undefined {
	if (!Array.isArray(result)) {
		return undefined;
	}

	const series: PromSeries[] = [];
	for (const item of result) {
		if (!isRecord(item)) {
			return undefined;
		}

		const labels = readLabels(item['metric']);
		if (labels === undefined) {
			return undefined;
		}

		const raw =
			item['values'] ?? (item['value'] === undefined ? [] : [item['value']]);
		if (!Array.isArray(raw)) {
			return undefined;
		}

		const points: Array<readonly [number, number]> = [];
		for (const value of raw) {
			const point = readPoint(value);
			if (point === undefined) {
				return undefined;
			}

			points.push(point);
		}

		series.push({labels, points});
	}

	return series;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function apiBase(url: string): string {
	return url.replace(/\/+$/v, '');
}

export function createPrometheusClient(
	options: PrometheusClientOptions,
): PrometheusClient {
	const headers: Record<string, string> = {accept: 'application/json'};
	if (options.auth) {
		headers['authorization'] = authHeader(options.auth);
	}

	const http: ScrapeClient = createScrapeClient({
		timeoutMs: options.timeoutMs ?? 10_000,
		maxBytes: maxAnswerBytes,
		insecure: options.insecure,
		headers: {...headers, ...options.headers},
	});
	const base = apiBase(options.url);
	const limiter = createLimiter(answersInFlight);

	async function get(
		path: string,
		parameters: Record<string, string>,
	): Promise<PromAnswer> {
		const query = new URLSearchParams(parameters).toString();
		const answer = await limiter.run(async () =>
			http.getJson(`${base}${path}?${query}`),
		);
		if (answer.ok) {
			return readAnswer(answer.json);
		}

		// Prometheus answers 400/422/503 with the same JSON error shape: its own words beat the status line.
		const body = answer.body === undefined ? undefined : parseJson(answer.body);
		if (body !== undefined) {
			const parsed = readAnswer(body);
			if (!parsed.ok) {
				return parsed;
			}
		}

		// The scrape client's own wording for a refused connection speaks of a loading vLLM, which is not the case here.
		if (answer.kind === 'refused') {
			return {
				ok: false,
				error: `Prometheus at ${base} refused the connection: check that it is running and that --prometheus is its URL`,
			};
		}

		if (answer.kind === 'too-large') {
			return {
				ok: false,
				error: `Prometheus at ${base} answered a query with more than ${maxAnswerBytes / 1024 / 1024} MiB: narrow --match to fewer instances`,
			};
		}

		const hint =
			answer.status === 401 || answer.status === 403
				? ': check --prometheus-token or --prometheus-user and --prometheus-password'
				: '';
		return {ok: false, error: `Prometheus ${answer.message}${hint}`};
	}

	return {
		async query(promql, time) {
			return get('/api/v1/query', {
				query: promql,
				...(time === undefined ? {} : {time: String(time)}),
			});
		},
		async queryRange(promql, start, end, step) {
			return get('/api/v1/query_range', {
				query: promql,
				start: String(start),
				end: String(end),
				step: String(step),
			});
		},
		async close() {
			await http.close();
		},
	};
}
