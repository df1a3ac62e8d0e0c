/**
Whether a target's host is this machine, so `nvidia-smi` here describes the GPUs under it. Pure: the machine's own
names and addresses come in as a value.
*/
export function isLocalHost(
	hostname: string,
	ownNames: ReadonlySet<string>,
): boolean {
	const host = hostname.replaceAll(/^\[|]$/g, '').toLowerCase();
	return (
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		host === '::1' ||
		host === '0.0.0.0' ||
		host === '::' ||
		host.startsWith('127.') ||
		ownNames.has(host)
	);
}
