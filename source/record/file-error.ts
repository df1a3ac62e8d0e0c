import path from 'node:path';
import {systemErrorCode} from '../format/error-code.js';

/**
One line naming the file, the cause and what to do, for an error from opening, reading or writing a recording.
`action` completes "cannot <action> <file>", e.g. 'record to' or 'read'.
*/
export function describeFileError(
	file: string,
	error: unknown,
	action: string,
): string {
	const prefix = `cannot ${action} ${file}`;
	switch (systemErrorCode(error) ?? '') {
		case 'ENOENT': {
			return action === 'read'
				? `${prefix}: no such file; check the path`
				: `${prefix}: directory ${path.dirname(file)} does not exist; create it or pick another path`;
		}

		case 'ENOTDIR': {
			return `${prefix}: a part of the path is not a directory; check the path`;
		}

		case 'EISDIR': {
			return action === 'read'
				? `${prefix}: it is a directory; give the recording's file name`
				: `${prefix}: it is a directory; give a file name such as ${path.join(file, 'vllm-top.ndjson')}`;
		}

		case 'EACCES':
		case 'EPERM': {
			return `${prefix}: permission denied; pick a path you can ${action === 'read' ? 'read' : 'write'}`;
		}

		case 'EROFS': {
			return `${prefix}: the file system is read-only; pick a path on a writable disk`;
		}

		case 'ENOSPC': {
			return `${prefix}: no space left on the disk; free some space (recording resumes by itself)`;
		}

		case 'EDQUOT': {
			return `${prefix}: disk quota exceeded; free some space (recording resumes by itself)`;
		}

		case 'EFBIG': {
			return `${prefix}: the file is too large for this file system; start a new recording file`;
		}

		case 'EIO': {
			return `${prefix}: input/output error from the disk; check the device`;
		}

		case 'EMFILE':
		case 'ENFILE': {
			return `${prefix}: too many open files; raise the limit (ulimit -n)`;
		}

		default: {
			const message = error instanceof Error ? error.message : String(error);
			return `${prefix}: ${message.replaceAll('\n', ' ').replaceAll('\r', ' ').trim()}`;
		}
	}
}
