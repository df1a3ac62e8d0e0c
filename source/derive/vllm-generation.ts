/**
Which vLLM engine generation a server runs, from what its metrics show. Shared by the page-reading path and the
Prometheus backend, which see the same evidence through different means.
*/
import {v0Markers, v1Markers} from '../catalog/vllm-metrics.js';

export type GenerationEvidence = {
	readonly hasVllm: boolean;
	/** Some `vllm:` series carries an `engine` label. */
	readonly hasEngineLabel: boolean;
	/** Some `vllm:` `_created` series exists. */
	readonly hasCreated: boolean;
	/** Whether the server exposes a metric family. */
	readonly has: (name: string) => boolean;
	/** From `/version`, when known. */
	readonly version: string | null;
};

export function vllmGeneration(
	evidence: GenerationEvidence,
): 'v0' | 'v1' | null {
	if (!evidence.hasVllm) {
		return null;
	}

	if (evidence.hasEngineLabel || evidence.hasCreated) {
		return 'v1';
	}

	if (v0Markers.some(name => evidence.has(name))) {
		return 'v0';
	}

	if (v1Markers.some(name => evidence.has(name))) {
		return 'v1';
	}

	// V1 became the default in 0.8.0 and the only engine in 0.11.0.
	const text = evidence.version ?? '';
	const [major = Number.NaN, minor = Number.NaN] = (
		text.startsWith('v') ? text.slice(1) : text
	)
		.split('.')
		.map(part => Number.parseInt(part, 10));
	if (Number.isInteger(major) && Number.isInteger(minor)) {
		if (major === 0 && minor < 8) {
			return 'v0';
		}

		if (major > 0 || minor >= 11) {
			return 'v1';
		}
	}

	return null;
}
