/**
How much memory Prometheus answers may take. A refresh sends dozens of queries at once; each answer is held whole
while it is decoded and parsed, so a hostile or huge answer to every one of them at once must not add up to
gigabytes. Each answer has its own cap, and only as many run at once as the total allows; the rest wait their turn.
*/

/** A PromQL answer for a large fleet over the sparkline window (1,000 series of 120 points) is about 4 MB of JSON. */
export const maxAnswerBytes = 8 * 1024 * 1024;
/** Every answer in flight, as received and decoded, stays under this. */
export const maxBytesInFlight = 48 * 1024 * 1024;

export type Limiter = {
	/** Runs `work` once fewer than the limit are running; in the order asked. */
	run<T>(work: () => Promise<T>): Promise<T>;
};

export function createLimiter(limit: number): Limiter {
	let running = 0;
	const waiting: Array<() => void> = [];
	const release = () => {
		running--;
		const next = waiting.shift();
		if (next !== undefined) {
			running++;
			next();
		}
	};

	return {
		async run(work) {
			if (running < limit) {
				running++;
			} else {
				await new Promise<void>(resolve => {
					waiting.push(resolve);
				});
			}

			try {
				return await work();
			} finally {
				release();
			}
		},
	};
}

/** Answers allowed in flight at once: wire bytes and decoded bytes both count against the total. */
export const answersInFlight = Math.max(
	1,
	Math.floor(maxBytesInFlight / (2 * maxAnswerBytes)),
);
