/**
Remembers which GPU notices were already said, so a tool that keeps failing is reported once, and again only after it
recovered and failed anew.
*/
import type {GpuPanel} from '../gpu/gpu-panel.js';

export function createNoticeLog(): {
	fresh(panels: ReadonlyArray<GpuPanel | undefined> | undefined): string[];
} {
	const said = new Map<string, string | null>();
	return {
		fresh(panels) {
			const out: string[] = [];
			for (const panel of new Set(panels)) {
				if (panel === undefined || said.get(panel.source) === panel.notice) {
					continue;
				}

				said.set(panel.source, panel.notice);
				if (panel.notice !== null) {
					out.push(panel.notice);
				}
			}

			return out;
		},
	};
}
