/**
What to call an error in a one-line message: the `code` of a Node system error (`ENOENT`, `EACCES`, ...), else the
first line of its message. The one place that looks inside a caught error.
*/

/** The `code` of a Node system error, if it is one. */
export function systemErrorCode(error: unknown): string | undefined {
	if (
		typeof error === 'object' &&
		error !== null &&
		'code' in error &&
		typeof error.code === 'string'
	) {
		return error.code;
	}

	return undefined;
}

/** The system error code, else the first line of the message, else `error`. */
export function errorCode(error: unknown): string {
	return (
		systemErrorCode(error) ??
		(error instanceof Error ? error.message.split('\n')[0]! : 'error')
	);
}
