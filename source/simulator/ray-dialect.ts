/**
vLLM under Ray Serve LLM: the same families, re-exported by Ray's metrics agent under `ray_vllm:` with Ray's own
labels on every series (vLLM's Ray stat logger adds the Serve replica as `ReplicaId`).
*/

/** `vllm:x` -> `ray_vllm:x`; other families (the process's) keep their names. */
export function rayName(name: string): string {
	return name.startsWith('vllm:') ? `ray_${name}` : name;
}

/** What Ray's agent puts on each series of one replica on one node. */
export const rayDefaultLabels: Readonly<Record<string, string>> = {
	ReplicaId: 'default#LLMServer:meta-llama--Llama-3_1-8B-Instruct#a1b2c3d4',
	WorkerId: '5c0ffee5b0a7d1e0c0de0ddba11f00d0',
	SessionName: 'session_2026-12-03_09-00-00_000000_1',
	NodeAddress: '10.0.0.12',
	Version: '2.52.0',
	Component: 'core_worker',
};
