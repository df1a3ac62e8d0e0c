/**
What the common XID errors mean, in the words of NVIDIA's "XID Errors" table (docs.nvidia.com/deploy/xid-errors), so
an alert names the XID and not only its number.
*/
const xidNames: Readonly<Record<number, string>> = {
	13: 'graphics engine exception',
	31: 'GPU memory page fault',
	32: 'invalid or corrupted push buffer stream',
	43: 'GPU stopped processing',
	45: 'preemptive cleanup, due to previous errors',
	48: 'double-bit ECC error',
	61: 'internal micro-controller breakpoint/warning',
	62: 'internal micro-controller halt',
	63: 'ECC page retirement or row remapping recording event',
	64: 'ECC page retirement or row remapper recording failure',
	74: 'NVLink error',
	79: 'GPU has fallen off the bus',
	92: 'high single-bit ECC error rate',
	94: 'contained ECC error',
	95: 'uncontained ECC error',
	109: 'context switch timeout',
	119: 'GSP RPC timeout',
	120: 'GSP error',
};

/** `XID 79 (GPU has fallen off the bus)`, or `XID 7` for one not in the table. */
export function xidText(xid: number): string {
	const name = xidNames[xid];
	return name === undefined ? `XID ${xid}` : `XID ${xid} (${name})`;
}
