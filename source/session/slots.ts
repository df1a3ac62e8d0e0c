/**
A counting semaphore: at most `limit` scrapes wait on the network at once, the rest queue in order.
*/
export type Slots = {
	run<T>(task: () => Promise<T>): Promise<T>;
};

export function createSlots(limit: number): Slots {
	let free = Math.max(1, limit);
	const queue: Array<() => void> = [];
	return {
		async run(task) {
			if (free === 0) {
				await new Promise<void>(resolve => {
					queue.push(resolve);
				});
			} else {
				free--;
			}

			try {
				return await task();
			} finally {
				const next = queue.shift();
				if (next) {
					next();
				} else {
					free++;
				}
			}
		},
	};
}
