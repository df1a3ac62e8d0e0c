/** The `code` of a Node system error (`ENOENT`, `EACCES`, ...), for one-line messages. */
export function errorCode(error: unknown): string {
	if (
		typeof error === 'object' &&
		error !== null &&
		'code' in error &&
		typeof error.code === 'string'
	) {
		return error.code;
	}

	return error instanceof Error ? error.message.split('\n')[0]! : 'error';
}
