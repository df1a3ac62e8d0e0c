import type {Registry} from 'prom-client';
import type {EngineEvents} from './engine-model.js';
import {
	type FamilyTable,
	registerFamilies,
	type Families,
} from './family-table.js';
import type {Scenario} from './scenarios.js';
import {engineLabels, type EngineLabel} from './vllm-v1-families.js';

/**
What the API server around the engine adds to the page: prometheus-fastapi-instrumentator's request counter
(vllm/entrypoints/serve/instrumentator/metrics.py; status grouped as `2xx`..`5xx`) and, on a server started with
`VLLM_COMPUTE_NANS_IN_LOGITS`, the corrupted-request counter. The simulator answers every request it plays on
`/v1/chat/completions`; a request that ends in `error` is a 500 and, where the scenario makes errors, one whose
logits held NaNs.
*/
export const apiServerFamilies = {
	httpRequests: {
		name: 'http_requests_total',
		type: 'counter',
		help: 'Total number of requests by method, status and handler.',
		labels: ['handler', 'method', 'status'],
	},
	corrupted: {
		name: 'vllm:corrupted_requests_total',
		type: 'counter',
		help: 'Corrupted requests, in terms of total number of requests with NaNs in logits.',
		labels: engineLabels,
		when: scenario => scenario.errorProbability > 0,
		zero: true,
	},
} as const satisfies FamilyTable;

const handler = {handler: '/v1/chat/completions', method: 'POST'} as const;

export class ApiServerMetrics {
	readonly #families: Families<typeof apiServerFamilies>;

	constructor(
		registry: Registry,
		scenario: Scenario,
		engines: ReadonlyArray<Record<EngineLabel, string>>,
	) {
		this.#families = registerFamilies(apiServerFamilies, registry, scenario);
		this.#families.httpRequests.inc({...handler, status: '2xx'}, 0);
		for (const labels of engines) {
			this.#families.corrupted?.inc(labels, 0);
		}
	}

	/** The answers to the requests one engine finished; aborted ones never got an answer. */
	record(labels: Record<EngineLabel, string>, events: EngineEvents): void {
		for (const request of events.finished) {
			if (request.reason === 'abort') {
				continue;
			}

			const failed = request.reason === 'error';
			this.#families.httpRequests.inc({
				...handler,
				status: failed ? '5xx' : '2xx',
			});
			if (failed) {
				this.#families.corrupted?.inc(labels);
			}
		}
	}
}
