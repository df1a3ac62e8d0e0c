/**
Runs tasks with at most `limit` in flight, results in task order. Used to scrape many targets without opening
a connection to each at once.

Every task runs even if another rejects; after all have settled, the first rejection (in task order) is rethrown.
*/
export async function runBounded<T>(
	tasks: ReadonlyArray<() => Promise<T>>,
	limit: number,
): Promise<T[]> {
	const width = Math.max(
		1,
		Math.min(tasks.length, Number.isFinite(limit) ? Math.floor(limit) : 1),
	);
	const settled: Array<PromiseSettledResult<T>> = Array.from({
		length: tasks.length,
	});
	let next = 0;

	async function worker(): Promise<void> {
		while (next < tasks.length) {
			const index = next++;
			const task = tasks[index]!;
			try {
				settled[index] = {status: 'fulfilled', value: await task()};
			} catch (error: unknown) {
				settled[index] = {status: 'rejected', reason: error};
			}
		}
	}

	await Promise.all(Array.from({length: width}, async () => worker()));
	const results: T[] = [];
	for (const outcome of settled) {
		if (outcome.status === 'rejected') {
			throw outcome.reason instanceof Error
				? outcome.reason
				: new Error(String(outcome.reason));
		}

		results.push(outcome.value);
	}

	return results;
}
