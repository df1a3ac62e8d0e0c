/**
Adds GPU panels to a live source: one watcher per GPU source (a DCGM page per `gpu_url:`/`--gpu-url`, and `nvidia-smi`
for targets on this host when it is on PATH), each writing its panel into the store for the targets it describes.
*/
import {hostname, networkInterfaces} from 'node:os';
import type {CliOptions} from '../config/cli-options.js';
import {placePanel} from '../gpu/gpu-panel.js';
import type {RecordedGpu} from '../record/gpu-record.js';
import {isLocalHost} from '../gpu/local-host.js';
import {findOnPath} from '../scrape/find-on-path.js';
import {
	dcgmReader,
	type GpuReader,
	nvidiaSmiReader,
} from '../scrape/gpu-readers.js';
import {createGpuWatcher, type GpuWatcher} from '../scrape/gpu-watcher.js';
import type {ScrapeClient} from '../scrape/scrape-client.js';
import type {TargetSpec} from '../session/target-spec.js';
import type {Source} from './source.js';

export type GpuOptions = Pick<CliOptions, 'gpu' | 'gpuUrl' | 'timeoutMs'> & {
	readonly env: Readonly<Record<string, string | undefined>>;
};

const nvidiaSmi = 'nvidia-smi';

function ownNames(): Set<string> {
	const names = new Set([hostname().toLowerCase()]);
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) {
			names.add(address.address.toLowerCase());
		}
	}

	return names;
}

/** Which GPU source describes each target, keyed by source, with the target indices it serves. */
async function planSources(
	options: GpuOptions,
	targets: readonly TargetSpec[],
): Promise<Map<string, number[]>> {
	const plan = new Map<string, number[]>();
	const add = (key: string, index: number) => {
		plan.set(key, [...(plan.get(key) ?? []), index]);
	};

	const names = ownNames();
	const smiPath = options.gpu
		? await findOnPath(nvidiaSmi, options.env['PATH'])
		: undefined;
	for (const [index, target] of targets.entries()) {
		const url = target.gpuUrl ?? options.gpuUrl;
		if (url !== undefined) {
			add(url, index);
		} else if (
			smiPath !== undefined &&
			isLocalHost(new URL(target.url).hostname, names)
		) {
			add(nvidiaSmi, index);
		}
	}

	return plan;
}

/** Each poll's answer, as a recording keeps it (`--record`). */
export type GpuPollListener = (entry: RecordedGpu) => void;

export async function withGpuPanels(
	source: Source,
	options: GpuOptions,
	targets: readonly TargetSpec[],
	clientFor: (target: TargetSpec) => ScrapeClient,
	onPoll?: GpuPollListener,
): Promise<Source> {
	const plan = await planSources(options, targets);
	if (plan.size === 0) {
		return source;
	}

	const {session} = source;
	const watchers: GpuWatcher[] = [];
	for (const [key, indices] of plan) {
		const tool: GpuReader =
			key === nvidiaSmi
				? nvidiaSmiReader(nvidiaSmi, options.timeoutMs)
				: dcgmReader(clientFor(targets[indices[0]!]!), key);
		const names = indices.map(index => targets[index]!.name);
		const read: GpuReader = async () => {
			const outcome = await tool();
			onPoll?.({type: 'gpu', at: Date.now(), source: key, names, outcome});
			return outcome;
		};

		watchers.push(
			createGpuWatcher({
				source: key,
				read,
				intervalMs: () => session.store.get().intervalMs,
				onPanel(panel) {
					session.store.update(state => ({
						...state,
						gpus: placePanel(state.gpus, indices, panel, targets.length),
					}));
				},
			}),
		);
	}

	const pollAll = async () => {
		await Promise.all(watchers.map(async watcher => watcher.pollNow()));
	};

	return {
		...source,
		session: {
			...session,
			start() {
				session.start();
				for (const watcher of watchers) {
					watcher.start();
				}
			},
			stop() {
				for (const watcher of watchers) {
					watcher.stop();
				}

				session.stop();
			},
		},
		async settle(signal) {
			const [settled] = await Promise.all([source.settle(signal), pollAll()]);
			return settled;
		},
		async close() {
			for (const watcher of watchers) {
				watcher.stop();
			}

			await source.close();
		},
	};
}
