/** The servers whose page the simulator can serve; a file of its own so flag parsing loads no simulator code. */
export const simulatedDialects = ['vllm', 'ray', 'sglang'] as const;

export type SimulatedDialect = (typeof simulatedDialects)[number];

export function isSimulatedDialect(name: string): name is SimulatedDialect {
	return (simulatedDialects as readonly string[]).includes(name);
}
