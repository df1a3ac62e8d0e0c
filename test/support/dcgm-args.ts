/**
CLI arguments that watch a simulator and read its GPUs from the simulator's DCGM exporter page only (`--no-gpu`
keeps a local `nvidia-smi` out of it), scraping every half second.
*/
export function dcgmArgs(url: string, ...extra: string[]): string[] {
	return [
		url,
		'-i',
		'0.5',
		'--no-gpu',
		'--gpu-url',
		`${url}/dcgm/metrics`,
		...extra,
	];
}
