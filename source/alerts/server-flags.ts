/**
The hints speak `vllm serve`'s language. On an SGLang page they name SGLang's own server settings instead, through
this one table of settings that have a clear equivalent (`python -m sglang.launch_server --help`); anything else
stays as vLLM says it.
*/
import type {DialectId} from '../catalog/server-dialects.js';
import type {Verdict} from './rule-context.js';

/** vLLM's words -> SGLang's, applied in order (the longer phrases first). */
const sglangWords: ReadonlyArray<readonly [RegExp, string]> = [
	[
		/num_speculative_tokens( to \d+)? in --speculative-config/gv,
		'--speculative-num-draft-tokens$1',
	],
	[/--max-num-seqs\b/gv, '--max-running-requests'],
	[/--gpu-memory-utilization\b/gv, '--mem-fraction-static'],
	[/--max-num-batched-tokens\b/gv, '--chunked-prefill-size'],
	[/--max-model-len\b/gv, '--context-length'],
	[/--max-loras\b/gv, '--max-loras-per-batch'],
	[/--kv-cache-dtype fp8\b/gv, '--kv-cache-dtype fp8_e4m3'],
	[
		/--enable-prefix-caching\b/gv,
		'the radix cache (drop --disable-radix-cache)',
	],
	[/the vllm serve log\b/gv, 'the SGLang server log'],
	[/restart vllm serve\b/gv, 'restart the SGLang server'],
];

/** A hint in the words of the server it is for. */
export function hintFor(hint: string, dialect: DialectId | null | undefined) {
	return dialect === 'sglang'
		? sglangWords.reduce(
				(text, [pattern, replacement]) => text.replace(pattern, replacement),
				hint,
			)
		: hint;
}

/** The verdict with its hint in the server's words. */
export function inServerWords(
	verdict: Verdict,
	dialect: DialectId | null | undefined,
): Verdict {
	return verdict.kind === 'fire' || verdict.kind === 'hold'
		? {...verdict, hint: hintFor(verdict.hint, dialect)}
		: verdict;
}
