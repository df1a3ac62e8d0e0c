/**
Who the server is, as the header, the `--once` report and the plain line name it: `vLLM 0.11.0 V1`,
`vLLM 0.9.2 V0 (Ray Serve)`, `SGLang`.
*/
import type {Server} from '../derive/snapshot.js';
import {missing} from './units.js';

/** `style` `report` puts the generation in parentheses: `vLLM 0.11.0 (V1)`. */
export function serverText(
	server: Server | null,
	style: 'header' | 'report' = 'header',
): string {
	if (server?.dialect === 'sglang') {
		return server.version ? `SGLang ${server.version}` : 'SGLang';
	}

	const generation = server?.generation?.toUpperCase();
	const suffix =
		generation === undefined
			? ''
			: style === 'report'
				? ` (${generation})`
				: ` ${generation}`;
	const ray = server?.dialect === 'ray_vllm' ? ' under Ray Serve' : '';
	// The era shows even when /version does not answer: the page's own families tell it (`vLLM V1`).
	if (!server?.version && style === 'header') {
		return `vLLM ${generation ?? missing}${ray}`;
	}

	return `vLLM ${server?.version ?? missing}${suffix}${ray}`;
}

/** The server's name on the plain line, only where it is not plain vLLM (whose line has always gone without it). */
export function otherServerName(server: Server): string | null {
	switch (server.dialect) {
		case 'sglang': {
			return 'SGLang';
		}

		case 'ray_vllm': {
			return 'vLLM/Ray';
		}

		case 'vllm':
		case null: {
			return null;
		}
	}
}
