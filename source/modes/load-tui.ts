/**
Loads the full-screen view on demand: modes that draw nothing never load ink or React.
*/
import process from 'node:process';
import type * as Tui from '../ui/run-tui.js';

export async function loadTui(): Promise<typeof Tui> {
	// ink reads CI at import and then draws only the final frame; the view is only opened on a terminal, so a CI
	// variable inherited by a person's shell (or a test harness) must not blank it.
	delete process.env['CI'];
	delete process.env['CONTINUOUS_INTEGRATION'];
	return import('../ui/run-tui.js');
}
