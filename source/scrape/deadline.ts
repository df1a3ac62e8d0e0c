/**
One request's abort signal: fires at the deadline or when the caller's signal fires, whichever comes first.

Built by hand rather than with `AbortSignal.any`, because on Node 20 `AbortSignal.any` keeps every derived signal
alive for as long as a long-lived source signal (a poller's) lives: about 1 KB per scrape that is never freed.
*/
export type Deadline = {
	readonly signal: AbortSignal;
	/** True once the deadline itself (not the caller) aborted the request. */
	timedOut(): boolean;
	/** True once the caller's signal or `abort()` ended the request early. */
	cancelled(): boolean;
	abort(): void;
	/** Clears the timer and the listener; call when the request is settled. */
	dispose(): void;
};

export function startDeadline(
	timeoutMs: number | undefined,
	callerSignal?: AbortSignal,
): Deadline {
	const controller = new AbortController();
	let timedOut = false;
	let cancelled = false;
	const onCallerAbort = () => {
		if (isTimeoutReason(callerSignal?.reason)) {
			timedOut = true;
		} else {
			cancelled = true;
		}

		controller.abort(callerSignal?.reason);
	};

	const timer =
		timeoutMs === undefined
			? undefined
			: setTimeout(() => {
					timedOut = true;
					controller.abort(
						new DOMException(
							`deadline of ${timeoutMs} ms passed`,
							'TimeoutError',
						),
					);
				}, timeoutMs);
	if (callerSignal?.aborted) {
		onCallerAbort();
	} else {
		callerSignal?.addEventListener('abort', onCallerAbort, {once: true});
	}

	return {
		signal: controller.signal,
		timedOut: () => timedOut,
		cancelled: () => cancelled,
		abort() {
			if (!controller.signal.aborted) {
				cancelled = true;
				controller.abort(new DOMException('cancelled', 'AbortError'));
			}
		},
		dispose() {
			clearTimeout(timer);
			callerSignal?.removeEventListener('abort', onCallerAbort);
		},
	};
}

function isTimeoutReason(reason: unknown): boolean {
	return reason instanceof Error && reason.name === 'TimeoutError';
}
