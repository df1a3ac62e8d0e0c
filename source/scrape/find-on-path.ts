/**
Finds an executable on PATH without running it, so a box without `nvidia-smi` shows no GPU panel and says nothing.
*/
import {constants} from 'node:fs';
import {access} from 'node:fs/promises';
import path from 'node:path';

export async function findOnPath(
	command: string,
	pathVariable: string | undefined,
): Promise<string | undefined> {
	for (const directory of (pathVariable ?? '').split(path.delimiter)) {
		if (directory === '') {
			continue;
		}

		const candidate = path.join(directory, command);
		try {
			await access(candidate, constants.X_OK);
			return candidate;
		} catch {
			// Not here, or not executable: try the next directory.
		}
	}

	return undefined;
}
