import type {Scenario} from './scenarios.js';

/** Which handler a path and method go to; a number is the HTTP status to refuse with. */
export type Route =
	| 'metrics'
	| 'dcgm'
	| 'health'
	| 'version'
	| 'models'
	| 'profiler'
	| 'completions'
	| 'chat'
	| 'tokenize';

const getRoutes: Readonly<Record<string, Route>> = {
	'/metrics': 'metrics',
	'/dcgm/metrics': 'dcgm',
	'/health': 'health',
	'/ping': 'health',
	'/version': 'version',
	'/v1/models': 'models',
};

const postRoutes: Readonly<Record<string, Route>> = {
	'/v1/completions': 'completions',
	'/v1/chat/completions': 'chat',
	'/tokenize': 'tokenize',
};

/** `/start_profile` and `/stop_profile` exist only with the profiler on, as on a server without --profiler-config. */
export function routeOf(
	path: string,
	method: string,
	profiler: boolean,
): Route | 404 | 405 {
	if (path === '/start_profile' || path === '/stop_profile') {
		return profiler ? (method === 'POST' ? 'profiler' : 405) : 404;
	}

	const post = postRoutes[path];
	if (post) {
		return method === 'POST' ? post : 405;
	}

	return getRoutes[path] ?? 404;
}

/** The `/v1/models` answer: the base model, then one card per LoRA adapter. */
export function modelList(
	scenario: Scenario,
	modelName: string,
	startTimeMs: number,
) {
	const created = Math.floor(startTimeMs / 1000);
	const card = (
		id: string,
		root: string,
		parent: string | null,
		maxModelLen: number | null,
	) => ({
		id,
		object: 'model',
		created,
		owned_by: 'vllm',
		root,
		parent,
		max_model_len: maxModelLen,
		permission: [
			{
				id: `modelperm-${Buffer.from(id).toString('hex').slice(0, 32)}`,
				object: 'model_permission',
				created,
				allow_create_engine: false,
				allow_sampling: true,
				allow_logprobs: true,
				allow_search_indices: false,
				allow_view: true,
				allow_fine_tuning: false,
				organization: '*',
				group: null,
				is_blocking: false,
			},
		],
	});
	const adapters = scenario.lora?.adapters ?? [];
	return {
		object: 'list',
		data: [
			card(modelName, modelName, null, scenario.maxModelLen),
			...adapters.map(adapter =>
				card(adapter, `/adapters/${adapter}`, modelName, null),
			),
		],
	};
}
