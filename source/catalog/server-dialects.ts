/**
The servers whose `/metrics` the catalog knows, by the prefix their metric names carry. vLLM's own names are the
ones read today; the others are listed so a signal can name its equivalent there (`elsewhere` in `signals.ts`)
and a page can be recognised before it is read.
*/
export type Dialect = {
	/** Who writes these names. */
	readonly server: string;
	readonly prefixes: readonly string[];
	/** The signals read this dialect's names. */
	readonly read: boolean;
};

export const serverDialects = {
	vllm: {server: 'vLLM (V0 and V1 engines)', prefixes: ['vllm:'], read: true},
	/** Ray Serve LLM wraps vLLM's names: `ray_vllm:` in the V0 era, `ray_vllm_` once Ray sanitises the colon. */
	rayVllm: {
		server: 'vLLM under Ray Serve LLM',
		prefixes: ['ray_vllm:', 'ray_vllm_'],
		read: false,
	},
	sglang: {server: 'SGLang', prefixes: ['sglang:'], read: false},
} as const satisfies Readonly<Record<string, Dialect>>;

export type DialectId = keyof typeof serverDialects;

/** Prefixes of a page that comes from vLLM, directly or through Ray. */
export const vllmPrefixes: readonly string[] = [
	...serverDialects.vllm.prefixes,
	...serverDialects.rayVllm.prefixes,
];
