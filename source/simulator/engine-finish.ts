import type {
	FinishReason,
	FinishedRequest,
	RequestState,
} from './engine-model.js';

/** What the server records about a request that ends at `now`. */
export function finish(
	request: RequestState,
	reason: FinishReason,
	now: number,
): FinishedRequest {
	const {arrival} = request;
	const scheduled = request.firstScheduledTime ?? now;
	const firstToken = request.firstTokenTime;
	const decodeSeconds = firstToken === undefined ? 0 : now - firstToken;
	return {
		requestId: arrival.id,
		tracked: arrival.tracked,
		endTime: now,
		reason,
		promptTokens: arrival.promptTokens,
		generatedTokens: request.generatedTokens,
		maxTokensParam: arrival.maxTokensParam,
		generationLimit: arrival.generationLimit,
		prefillComputedTokens: Math.max(
			0,
			arrival.promptTokens - request.cachedTokens,
		),
		e2eSeconds: now - arrival.time,
		ttftSeconds:
			firstToken === undefined ? undefined : firstToken - arrival.time,
		queueSeconds: scheduled - arrival.time,
		prefillSeconds:
			firstToken === undefined ? now - scheduled : firstToken - scheduled,
		decodeSeconds,
		inferenceSeconds: now - scheduled,
		meanTpotSeconds:
			request.generatedTokens > 1
				? decodeSeconds / (request.generatedTokens - 1)
				: undefined,
	};
}
